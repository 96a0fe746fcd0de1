"""Payment periods, in Asia/Shanghai.

A monthly program's period is a month, keyed ``2026-03``; a yearly program's a calendar year, keyed
``2026``; a "once" program has one period, keyed ``once``. A period is paid to an entitlement that is in
force on the period's *reference date*: the last day of the month or year (so a stop event dated on or
before that day keeps the period unpaid), or, for a once program, the day the run looks at.
A month or year can be run only once it has ended in Shanghai.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from subsidies.errors import SubsidyError

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH, YEAR, ONCE = "month", "year", "once"
ONCE_KEY = "once"
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_KEY = re.compile(r"^(\d{4})$")
KEY_EXAMPLES = {MONTH: "2026-03", YEAR: "2026", ONCE: ONCE_KEY}


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    first_day: date | None  # None for a once program
    last_day: date | None

    @property
    def reference_date(self) -> date | None:
        return self.last_day


def shanghai_today(now: datetime | None = None) -> date:
    """Today's date in Shanghai, whatever the server's zone."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("an aware datetime is needed")
    return now.astimezone(SHANGHAI).date()


def period_parse(kind: str, key: str) -> Period:
    """The period of a program of this kind named by ``key``; a clear error for a malformed key."""
    key = (key or "").strip()
    if kind == MONTH:
        match = _MONTH_KEY.match(key)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise SubsidyError(
                "period", f"按月发放的项目，期间应写作年-月，如 {KEY_EXAMPLES[MONTH]}（收到：{key or '空'}）"
            )
        year, month = int(match.group(1)), int(match.group(2))
        return Period(MONTH, key, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    if kind == YEAR:
        match = _YEAR_KEY.match(key)
        if not match or int(key) < 1900:
            raise SubsidyError(
                "period", f"按年发放的项目，期间应写作年份，如 {KEY_EXAMPLES[YEAR]}（收到：{key or '空'}）"
            )
        return Period(YEAR, key, date(int(key), 1, 1), date(int(key), 12, 31))
    if kind == ONCE:
        if key not in ("", ONCE_KEY):
            raise SubsidyError("period", f"一次性发放的项目只有一个期间：{ONCE_KEY}（收到：{key}）")
        return Period(ONCE, ONCE_KEY, None, None)
    raise SubsidyError("period", f"未知的发放周期：{kind}")


def period_containing(kind: str, day: date) -> Period:
    if kind == MONTH:
        return period_parse(MONTH, f"{day:%Y-%m}")
    if kind == YEAR:
        return period_parse(YEAR, f"{day:%Y}")
    return period_parse(ONCE, ONCE_KEY)


def period_previous(kind: str, *, now: datetime | None = None) -> Period:
    """The last period that has ended by ``now`` in Shanghai (for a once program: its one period)."""
    today = shanghai_today(now)
    if kind == MONTH:
        first = today.replace(day=1)
        last_month = date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)
        return period_containing(MONTH, last_month)
    if kind == YEAR:
        return period_parse(YEAR, str(today.year - 1))
    return period_parse(kind, ONCE_KEY)


def period_ended(period: Period, *, now: datetime | None = None) -> bool:
    return period.last_day is None or period.last_day < shanghai_today(now)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)
