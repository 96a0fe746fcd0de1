from __future__ import annotations

from django.db import transaction

from applications.models import Application, Notification


def notification_create(*, application: Application, subject: str, body: str) -> Notification:
    """An in-app message for the applicant; e-mail and SMS go out once the transaction commits."""
    notification = Notification.objects.create(
        user_id=application.applicant.user_id, application=application, subject=subject, body=body
    )
    from applications.tasks import notification_deliver

    transaction.on_commit(lambda: notification_deliver.delay(notification.pk))
    return notification


def notification_deliver_now(*, notification_id: int) -> None:
    """Send one notification by e-mail (if the account has an address) and SMS. Safe to re-run:
    a delivered notification is marked and not sent again."""
    from django.core.mail import send_mail
    from django.utils import timezone

    from applications.sms import get_sms_backend

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user__applicant")
            .filter(pk=notification_id, delivered_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        user = notification.user
        if user.email:
            send_mail(notification.subject, notification.body, None, [user.email])
        applicant = getattr(user, "applicant", None)
        if applicant is not None:
            get_sms_backend().send(phone=applicant.phone, text=f"【落户办理】{notification.subject}")
        notification.delivered_at = timezone.now()
        notification.save(update_fields=["delivered_at"])


def notification_mark_read(*, notification: Notification) -> Notification:
    """The recipient has read the message; reading it again keeps the first time."""
    from django.utils import timezone

    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification
