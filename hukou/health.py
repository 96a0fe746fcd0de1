"""/healthz: is the database reachable, and the Celery broker (or are tasks running eagerly)?"""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message says which
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        return "eager"  # no broker configured: tasks run in-process
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    database = database_status()
    broker = broker_status()
    healthy = database == "ok" and broker in {"ok", "eager"}
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "database_vendor": connection.vendor,
            "broker": broker,
        },
        status=200 if healthy else 503,
    )
