"""Working days left until a promised date, for a whole page of cases with one calendar query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from policies.models import WorkingCalendarDay
from policies.services.calendar import is_working_day

NEARLY_DUE_DAYS = 2


@dataclass(frozen=True)
class DaysLeft:
    """Working days from ``today`` (not counted) to the due date (counted); negative once overdue."""

    days: int
    overdue: bool

    @property
    def nearly_due(self) -> bool:
        return not self.overdue and self.days <= NEARLY_DUE_DAYS

    @property
    def css(self) -> str:
        return "overdue" if self.overdue else ("nearly-due" if self.nearly_due else "on-time")

    def __str__(self) -> str:
        if self.overdue:
            late = -self.days
            if late <= 0:
                return _("overdue")
            return ngettext("overdue by %(n)d working day", "overdue by %(n)d working days", late) % {"n": late}
        if self.days == 0:
            return _("due today")
        return ngettext("%(n)d working day left", "%(n)d working days left", self.days) % {"n": self.days}


def working_days_left(due_dates: Iterable[date | None], today: date) -> dict[date, DaysLeft]:
    """For every distinct due date: working days left as seen on ``today``.

    One query for the calendar exceptions (holidays, 调休 days) between the earliest and the latest date,
    then a running count of working days, so a page of any length costs the same.
    """
    dates = {due for due in due_dates if due is not None}
    if not dates:
        return {}
    start, end = min(*dates, today), max(*dates, today)
    exceptions = dict(
        WorkingCalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    )
    running, count, day = {}, 0, start
    while day <= end:
        if is_working_day(day, exceptions):
            count += 1
        running[day] = count
        day += timedelta(days=1)
    return {due: DaysLeft(days=running[due] - running[today], overdue=due < today) for due in dates}
