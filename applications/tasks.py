from celery import shared_task

from applications.services.notifications import notification_deliver_now


@shared_task(name="applications.notification_deliver", acks_late=True)
def notification_deliver(notification_id: int) -> None:
    notification_deliver_now(notification_id=notification_id)
