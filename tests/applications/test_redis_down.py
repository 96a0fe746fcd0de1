"""Redis really unreachable (cache and broker pointed at a closed port, no mock): the public check still
answers, a submission commits and answers 200, and its e-mail and SMS wait in the outbox (the
Notification row) until the beat job delivers them — once — when Redis is back."""

from __future__ import annotations

import logging
import socket
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from applications.models import ApplicationState, Notification
from applications.services.notifications import notifications_deliver_due
from applications.sms import ConsoleSmsBackend
from applications.tasks import notifications_deliver_due_task
from hukou import cache as resilient_cache
from hukou.celery import app as celery_app
from tests.applications.factories import GRADUATE_FACTS

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reset_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def redis_unreachable(settings):
    """Cache and Celery broker at a port where nothing listens, as when Redis is down."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    saved_caches, saved_broker = settings.CACHES, celery_app.conf.broker_url
    settings.CACHES = {"default": {**saved_caches["default"], "LOCATION": url}}
    celery_app.conf.broker_url = url
    _reset_broker_connections()
    resilient_cache.outage.since, resilient_cache.outage.retry_at = None, 0.0
    try:
        yield
    finally:
        settings.CACHES = saved_caches
        celery_app.conf.broker_url = saved_broker
        _reset_broker_connections()
        resilient_cache.outage.since, resilient_cache.outage.retry_at = None, 0.0


@pytest.fixture(autouse=True)
def needs_redis_cache(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the Redis cache and broker")


def test_the_public_check_answers_without_redis_and_logs_the_outage_once(settings, caplog):
    client = APIClient()
    with redis_unreachable(settings), caplog.at_level(logging.WARNING, logger="hukou.cache"):
        codes = [client.post("/api/v1/eligibility/", {"jurisdiction": "sx.kq", "date": "2024-03-01",
                                                       "facts": GRADUATE_FACTS}, format="json").status_code
                 for _ in range(5)]
    assert codes == [200] * 5
    assert [r.getMessage() for r in caplog.records if r.name == "hukou.cache"] == [
        "cache: Redis is unreachable (ConnectionError); using a per-process cache until it is back"]


def test_a_submission_with_redis_down_commits_answers_200_and_is_delivered_later(
        settings, draft, applicant, mailoutbox, django_capture_on_commit_callbacks):
    ConsoleSmsBackend.sent.clear()
    client = APIClient()
    client.force_login(applicant.user)
    with redis_unreachable(settings), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/applications/{draft.case_number}/submit/", {}, format="json",
                               HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    draft.refresh_from_db()
    assert draft.state == ApplicationState.SUBMITTED
    notification = Notification.objects.get(application=draft)
    assert notification.delivered_at is None and ConsoleSmsBackend.sent == [] and mailoutbox == []

    # Redis is back: the scheduled job (not a human) delivers, exactly once, however often it runs
    assert notifications_deliver_due_task() == {"due": 1, "delivered": 1}
    assert notifications_deliver_due_task() == {"due": 0, "delivered": 0}
    notification.refresh_from_db()
    assert notification.delivered_at and notification.email_sent_at and notification.sms_sent_at
    assert ConsoleSmsBackend.sent == [(applicant.phone, f"【落户办理】{notification.subject}")]
    assert len(mailoutbox) == 1


class FlakySms:
    calls = 0

    def send(self, *, phone: str, text: str) -> None:
        FlakySms.calls += 1
        if FlakySms.calls == 1:
            raise ConnectionError("SMS gateway down")
        ConsoleSmsBackend().send(phone=phone, text=text)


def test_a_failed_delivery_is_retried_with_backoff_and_sends_no_channel_twice(draft, settings, mailoutbox):
    from applications.services.notifications import notification_create

    settings.SMS_BACKEND = f"{__name__}.FlakySms"
    FlakySms.calls = 0
    ConsoleSmsBackend.sent.clear()
    notification = notification_create(application=draft, subject="已收件", body="正文")

    assert notifications_deliver_due() == {"due": 1, "delivered": 0}
    notification.refresh_from_db()
    assert (notification.attempts, notification.last_error, notification.delivered_at) == (1, "ConnectionError", None)
    assert notification.email_sent_at is not None and len(mailoutbox) == 1
    assert timedelta(seconds=50) < notification.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    assert notifications_deliver_due() == {"due": 0, "delivered": 0}  # not before its time

    later = timezone.now() + timedelta(minutes=2)
    assert notifications_deliver_due(now=later) == {"due": 1, "delivered": 1}
    assert len(mailoutbox) == 1 and len(ConsoleSmsBackend.sent) == 1  # the e-mail was not sent again


def test_the_outbox_job_runs_every_minute():
    job = PeriodicTask.objects.get(task="applications.notifications_deliver_due")
    assert job.enabled and (job.interval.every, job.interval.period) == (1, "minutes")
