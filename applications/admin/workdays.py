"""Working days left until a promised date, for a whole page of cases with one calendar query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from policies.services import calendar

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
    """For every distinct due date: working days left as seen on ``today`` (one calendar query)."""
    return {
        due: DaysLeft(days=days, overdue=due < today)
        for due, days in calendar.working_days_left(due_dates, today).items()
    }
