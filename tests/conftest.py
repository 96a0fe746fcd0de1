import pytest

from policies.eligibility.catalogue import catalogue_invalidate_local


@pytest.fixture(autouse=True)
def fresh_policy_catalogue():
    """A test may edit policy rows inside a transaction that is rolled back: never carry the
    compiled catalogue from one test into the next."""
    catalogue_invalidate_local()
    yield
    catalogue_invalidate_local()


@pytest.fixture
def celery_worker_process(settings):
    """A real Celery worker (own process, real Redis broker) on the test database and its own queue.

    Use with ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)`` so that the worker
    sees the test's committed rows and the seeded tables come back afterwards. Yields the queue name.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.db import connection

    from hukou.celery import app
    from tests.processes import stop_process

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: a real broker")
    db = connection.settings_dict
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    database_url = f"postgres://{db['USER'] or 'postgres'}@{host}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    node = f"{queue}@localhost"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": settings.REDIS_URL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hukou", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "-Q", queue, "-n", node, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[node], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        yield queue
    finally:
        stop_process(worker)


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Per-address counters (hukou.ratelimit, DRF throttles) live in the shared cache: every test starts
    from none. Only those keys go: the broker's keys in the same Redis database must stay."""
    from django.core.cache import cache

    def clear():
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("ratelimit:*")
            cache.delete_pattern("throttle_*")
        else:
            cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def sms_outbox():
    """The texts sent through the console SMS backend during the test: ``sms_outbox.code(phone)`` reads
    the last code sent to a number, as the person holding that phone would."""
    import re

    from applications.sms import ConsoleSmsBackend

    class Outbox(list):
        def to(self, phone: str) -> list[str]:
            return [text for number, text in ConsoleSmsBackend.sent if number == phone]

        def code(self, phone: str) -> str:
            texts = self.to(phone)
            assert texts, f"no text was sent to {phone}"
            return re.search(r"验证码 (\d{6})", texts[-1]).group(1)

    ConsoleSmsBackend.sent.clear()
    yield Outbox()
    ConsoleSmsBackend.sent.clear()
