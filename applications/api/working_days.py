"""Working days left until a case's promised date, for a whole page of cases in one query."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from policies.models import WorkingCalendarDay
from policies.services.calendar import is_working_day


def working_days_left(due_dates: Iterable[date | None], today: date) -> dict[date, int]:
    """For each due date: the working days after ``today`` up to and including it (0 = due today);
    negative when overdue (minus the working days since). Holidays skipped, 调休 days counted."""
    dues = {due for due in due_dates if due is not None}
    if not dues:
        return {}
    start, end = min(*dues, today), max(*dues, today)
    exceptions = dict(
        WorkingCalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    )
    working = set()
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day, exceptions):
            working.add(day)
        day += timedelta(days=1)
    result = {}
    for due in dues:
        if due >= today:
            result[due] = sum(1 for d in working if today < d <= due)
        else:
            result[due] = -sum(1 for d in working if due < d <= today)
    return result
