from celery import shared_task

from applications.services.notifications import notification_deliver_now


@shared_task(name="applications.notification_deliver", acks_late=True)
def notification_deliver(notification_id: int) -> None:
    notification_deliver_now(notification_id=notification_id)


@shared_task(name="applications.personal_data_audit_purge")
def personal_data_audit_purge_task() -> int:
    """Beat, daily: delete personal-data access records past the retention period (chain kept verifiable)."""
    from applications.services.personal_data import personal_data_audit_purge

    return personal_data_audit_purge()
