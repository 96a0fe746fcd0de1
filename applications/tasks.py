from celery import shared_task

from applications.services.notifications import notification_deliver_or_reschedule, notifications_deliver_due
from applications.services.phone_codes import phone_codes_purge


@shared_task(name="applications.notification_deliver", acks_late=True)
def notification_deliver(notification_id: int) -> bool:
    """Right after the state change: one try; a failure leaves the row to the beat job below."""
    return notification_deliver_or_reschedule(notification_id=notification_id)


@shared_task(name="applications.notifications_deliver_due")
def notifications_deliver_due_task() -> dict:
    """Beat, every minute: the notification outbox."""
    return notifications_deliver_due()


@shared_task(name="applications.phone_codes_purge")
def phone_codes_purge_task() -> int:
    """Beat, daily."""
    return phone_codes_purge()


@shared_task(name="applications.personal_data_audit_purge")
def personal_data_audit_purge_task() -> int:
    """Beat, daily: delete personal-data access records past the retention period (chain kept verifiable)."""
    from applications.services.personal_data import personal_data_audit_purge

    return personal_data_audit_purge()
