"""In-app messages, and their e-mail and SMS through the outbox (see the Notification model)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from applications.models import Application, Notification
from hukou.queueing import enqueue_on_commit

logger = logging.getLogger("applications.notifications")

MAX_BACKOFF = timedelta(hours=1)
DUE_BATCH = 200


def notification_create(*, application: Application, subject: str, body: str) -> Notification:
    """An in-app message for the applicant, written in the caller's transaction; its e-mail and SMS go
    out once that transaction commits (or, with the broker down, by the beat job)."""
    notification = Notification.objects.create(
        user_id=application.applicant.user_id, application=application, subject=subject, body=body
    )
    from applications.tasks import notification_deliver

    enqueue_on_commit(notification_deliver, args=[notification.pk])
    return notification


def _locked(notification_id: int) -> Notification | None:
    """The undelivered notification, locked; None if delivered or being delivered by another worker."""
    return (
        Notification.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("user__applicant")
        .filter(pk=notification_id, delivered_at__isnull=True)
        .first()
    )


def notification_deliver_now(*, notification_id: int) -> bool:
    """Send one notification by e-mail (if the account has an address) and SMS. Idempotent: each
    channel is marked in its own committed step, so a crash or a failure of the other channel never
    sends it again. True when the notification is (now) delivered. Raises the channel's error."""
    from django.core.mail import send_mail

    from applications.sms import get_sms_backend

    with transaction.atomic():
        notification = _locked(notification_id)
        if notification is None:
            return not Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).exists()
        if notification.user.email and notification.email_sent_at is None:
            send_mail(notification.subject, notification.body, None, [notification.user.email])
            notification.email_sent_at = timezone.now()
            notification.save(update_fields=["email_sent_at"])
    with transaction.atomic():
        notification = _locked(notification_id)
        if notification is None:
            return False
        applicant = getattr(notification.user, "applicant", None)
        if applicant is not None and notification.sms_sent_at is None:
            get_sms_backend().send(phone=applicant.phone, text=f"【落户办理】{notification.subject}")
            notification.sms_sent_at = timezone.now()
        notification.delivered_at = timezone.now()
        notification.save(update_fields=["sms_sent_at", "delivered_at"])
    return True


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def notification_delivery_failed(*, notification_id: int, error: Exception) -> None:
    """Count a failed try and put the next one off: 1, 2, 4 … minutes, at most an hour apart."""
    notification = Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).first()
    if notification is None:
        return
    attempts = notification.attempts + 1
    Notification.objects.filter(pk=notification_id).update(
        attempts=attempts, next_attempt_at=timezone.now() + _backoff(attempts),
        last_error=error.__class__.__name__[:200],
    )
    logger.warning("notification %s: delivery attempt %d failed (%s)", notification_id, attempts,
                   error.__class__.__name__)


def notification_deliver_or_reschedule(*, notification_id: int) -> bool:
    try:
        return notification_deliver_now(notification_id=notification_id)
    except Exception as error:  # a channel is down: the outbox keeps the row for the next attempt
        notification_delivery_failed(notification_id=notification_id, error=error)
        return False


def notifications_deliver_due(*, now: datetime | None = None, limit: int = DUE_BATCH) -> dict:
    """Beat, every minute: deliver the undelivered notifications whose next attempt is due."""
    due = list(
        Notification.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now or timezone.now())
        .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    )
    delivered = sum(notification_deliver_or_reschedule(notification_id=pk) for pk in due)
    return {"due": len(due), "delivered": delivered}


def notification_mark_read(*, notification: Notification) -> Notification:
    """The recipient has read the message; reading it again keeps the first time."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification
