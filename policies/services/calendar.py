"""The working-day calendar (工作日): Monday–Friday, minus official holidays, plus make-up days (调休)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.db import transaction

from policies.models import WorkingCalendarDay

_CHINESE_NAMES = {holiday.value[0]: holiday.value[1] for holiday in Holiday}


def package_calendar_days(years: set[int] | None = None) -> list[tuple[date, str, str]]:
    """(date, kind, Chinese name) of every holiday and make-up working day chinesecalendar knows."""
    rows = []
    for kind, source in (("holiday", chinese_calendar.holidays), ("workday", chinese_calendar.workdays)):
        for day, name in source.items():
            if years is None or day.year in years:
                rows.append((day, kind, _CHINESE_NAMES.get(name, name)))
    return sorted(rows)


def working_calendar_sync(*, years: set[int] | None = None, model=WorkingCalendarDay) -> int:
    """Copy the package's calendar into the table; rows entered by hand win. Returns rows written.

    Idempotent: re-running writes nothing new. ``model`` lets a data migration pass its historical model.
    """
    manual = set(model.objects.filter(source="manual").values_list("date", flat=True))
    existing = {
        row.date: row for row in model.objects.filter(source="chinesecalendar")
    }
    to_create, to_update = [], []
    for day, kind, name in package_calendar_days(years):
        if day in manual:
            continue
        row = existing.get(day)
        if row is None:
            to_create.append(model(date=day, kind=kind, name=name, source="chinesecalendar"))
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            to_update.append(row)
    with transaction.atomic():
        model.objects.bulk_create(to_create, batch_size=500)
        model.objects.bulk_update(to_update, ["kind", "name"], batch_size=500)
    return len(to_create) + len(to_update)


def _exceptions(start: date, end: date) -> dict[date, str]:
    return dict(WorkingCalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind"))


def is_working_day(day: date, exceptions: dict[date, str] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    kind = exceptions.get(day)
    if kind is not None:
        return kind == WorkingCalendarDay.Kind.WORKDAY
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted); 0 gives ``start``.

    One query: the calendar exceptions of a window wide enough for the longest holiday runs.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    window = start + timedelta(days=days * 2 + 30)
    exceptions = _exceptions(start, window)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day > window:  # longer than the window allowed for: widen it
            window = day + timedelta(days=days * 2 + 30)
            exceptions.update(_exceptions(day, window))
        if is_working_day(day, exceptions):
            counted += 1
    return day


def working_days_left(due_dates: Iterable[date | None], today: date) -> dict[date, int]:
    """For each due date: the working days after ``today`` up to and including it (0: due today);
    negative when overdue (minus the working days since). Always exactly one query, however many
    dates (none included), so a page costs the same whatever it shows."""
    dues = {due for due in due_dates if due is not None}
    start, end = min(dues | {today}), max(dues | {today})
    exceptions = _exceptions(start, end)
    running, count, day = {}, 0, start
    while day <= end:
        if is_working_day(day, exceptions):
            count += 1
        running[day] = count
        day += timedelta(days=1)
    return {due: running[due] - running[today] for due in dues}
