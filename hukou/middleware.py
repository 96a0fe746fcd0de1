"""Project-wide request middleware."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger("hukou.requests")
access_log = logging.getLogger("hukou.access")


class AccessLogMiddleware:
    """The access log (logger ``hukou.access``), outermost so it sees every answer: the client address
    from hukou.clientip (the one that throttles and django-axes use), the method, the path WITHOUT its
    query string (where ID numbers and tokens used to travel), the status, the size and the time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from hukou.clientip import client_ip

        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "_cached_user", None)  # only if already looked up: no query of its own
        size = len(response.content) if not getattr(response, "streaming", False) else "-"
        access_log.info('%s "%s %s" %s %s %dms user=%s', client_ip(request), request.method, request.path,
                        response.status_code, size, (time.monotonic() - started) * 1000,
                        user.pk if user is not None and user.is_authenticated else "-")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body that declares more than REQUEST_MAX_BYTES (HTTP 413) before a byte of it is read:
    a 200 MB upload is not received whole to be refused afterwards. Bodies without a length (chunked)
    are capped by nginx's client_max_body_size and Django's DATA_UPLOAD_* limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.REQUEST_MAX_BYTES
        if declared > limit:
            logger.warning("refused a %d-byte body to %s (limit %d)", declared, request.path, limit)
            message = f"上传内容过大：每次最多 {limit // (1024 * 1024)} MB"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(render_to_string("413.html", {"message": message}), status=413)
        return self.get_response(request)
