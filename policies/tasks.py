from celery import shared_task

from policies.services.calendar import working_calendar_sync


@shared_task(name="policies.working_calendar_sync")
def working_calendar_sync_task() -> int:
    """Yearly (beat): pick up the holiday years a newer chinesecalendar release knows."""
    return working_calendar_sync()
