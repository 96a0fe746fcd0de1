import time

import pytest

from policies.models import WorkingCalendarDay
from policies.tasks import working_calendar_sync_task


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_restores_the_package_calendar(celery_worker_process):
    WorkingCalendarDay.objects.filter(date__year=2024).delete()

    working_calendar_sync_task.apply_async(queue=celery_worker_process)

    deadline = time.monotonic() + 30
    while not WorkingCalendarDay.objects.filter(date="2024-10-01", kind="holiday").exists():
        assert time.monotonic() < deadline, "the worker did not sync the calendar"
        time.sleep(0.2)
    assert WorkingCalendarDay.objects.filter(date="2024-10-12", kind="workday").exists()


@pytest.mark.django_db
def test_the_yearly_sync_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="policies.working_calendar_sync")
    assert task.enabled and (task.crontab.month_of_year, task.crontab.day_of_month) == ("12", "1")
