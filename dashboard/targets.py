"""Progress toward the notices' targets in one year, and the projection to the end of the period.

How we project (shown on the page too):
- a count for the year (settlements this system records, or an outside count entered so far): straight
  line, the count to date × days in the year ÷ days elapsed (to the data's day, or the figure's day);
- an increase of a level (population): the increase since the previous year-end figure, scaled the same
  way when the latest figure is not a year-end one;
- a level to reach by the end of the period: the straight line through the first and the latest figure
  in the period (from the year-end before it), extended to the period's last day; a total to reach: the
  total so far × the period's length ÷ the time elapsed;
- a level required at each year-end: the latest figure of the year, as it stands.
A past year (or a year-end figure) is judged on the actual value: achieved or missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from policies.models import Indicator, Target

ACHIEVED, MISSED, ON_TRACK, BEHIND, NO_DATA, NOT_STARTED = (
    "achieved", "missed", "on_track", "behind", "no_data", "not_started",
)


@dataclass(frozen=True)
class Figure:
    """A value of an indicator: its year, the value and the day it describes."""

    year: int
    value: Decimal
    as_of: date


@dataclass
class Progress:
    target: Target
    year: int
    actual: Decimal | None = None
    projected: Decimal | None = None
    status: str = NO_DATA
    method: str = ""
    missing_years: list[int] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        """Projected (or actual) value as a share of the target, in per cent."""
        basis = self.projected if self.projected is not None else self.actual
        if basis is None or not self.target.value:
            return None
        return (basis * 100 / self.target.value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _elapsed_share(day: date) -> Decimal:
    """The share of ``day``'s year elapsed at the end of ``day``."""
    days = (_year_end(day.year) - date(day.year, 1, 1)).days + 1
    return Decimal((day - date(day.year, 1, 1)).days + 1) / Decimal(days)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _judge(progress: Progress, final: bool) -> Progress:
    value = progress.actual if final else progress.projected
    if value is None:
        progress.status = NO_DATA
    elif final:
        progress.status = ACHIEVED if value >= progress.target.value else MISSED
    else:
        progress.status = ON_TRACK if value >= progress.target.value else BEHIND
    return progress


def _count_in_year(progress: Progress, figure: Figure | None) -> Progress:
    """A count for one year (a flow), known up to ``figure.as_of``."""
    if figure is None:
        progress.missing_years = [progress.year]
        return progress
    progress.actual = figure.value
    final = figure.as_of >= _year_end(progress.year)
    progress.projected = figure.value if final else _round(figure.value / _elapsed_share(figure.as_of))
    progress.method = "actual" if final else "run_rate"
    return _judge(progress, final)


def _increase_in_year(progress: Progress, figures: dict[int, Figure]) -> Progress:
    current, previous = figures.get(progress.year), figures.get(progress.year - 1)
    progress.missing_years = [y for y, f in ((progress.year - 1, previous), (progress.year, current)) if f is None]
    if current is None or previous is None:
        return progress
    increase = current.value - previous.value
    progress.actual = increase
    final = current.as_of >= _year_end(progress.year)
    progress.projected = increase if final else _round(increase / _elapsed_share(current.as_of))
    progress.method = "actual" if final else "run_rate"
    return _judge(progress, final)


def _level_in_year(progress: Progress, figures: dict[int, Figure]) -> Progress:
    current = figures.get(progress.year)
    if current is None:
        progress.missing_years = [progress.year]
        return progress
    progress.actual = progress.projected = current.value
    progress.method = "latest"
    return _judge(progress, current.as_of >= _year_end(progress.year))


def _level_by_end(progress: Progress, figures: dict[int, Figure]) -> Progress:
    target = progress.target
    end = _year_end(target.last_year)
    points = sorted(
        (f for y, f in figures.items() if target.first_year - 1 <= y <= progress.year), key=lambda f: f.as_of
    )
    progress.missing_years = [y for y in range(target.first_year - 1, progress.year + 1) if y not in figures]
    if not points:
        return progress
    latest = points[-1]
    progress.actual = latest.value
    if latest.as_of >= end:
        progress.projected, progress.method = latest.value, "actual"
        return _judge(progress, True)
    first = points[0]
    if first.as_of == latest.as_of:
        return progress  # one figure: no line to extend
    slope = (latest.value - first.value) / Decimal((latest.as_of - first.as_of).days)
    progress.projected = _round(latest.value + slope * Decimal((end - latest.as_of).days))
    progress.method = "trend"
    return _judge(progress, False)


def _total_by_end(progress: Progress, counts: dict[int, Figure]) -> Progress:
    target = progress.target
    years = range(target.first_year, progress.year + 1)
    progress.missing_years = [y for y in years if y not in counts]
    known = [counts[y] for y in years if y in counts]
    if not known:
        return progress
    total = sum((f.value for f in known), Decimal(0))
    progress.actual = total
    reached = max(f.as_of for f in known)
    start, end = date(target.first_year, 1, 1), _year_end(target.last_year)
    if reached >= end:
        progress.projected, progress.method = total, "actual"
        return _judge(progress, True)
    elapsed = Decimal((reached - start).days + 1)
    progress.projected = _round(total * Decimal((end - start).days + 1) / elapsed)
    progress.method = "run_rate"
    return _judge(progress, False)


def target_progress(target: Target, *, year: int, figures: dict[int, Figure], today: date) -> Progress:
    """Progress of ``target`` in ``year``: ``figures`` are the indicator's values by year (entered ones, or
    for a system-counted indicator the counts of each year up to ``today``)."""
    progress = Progress(target=target, year=year)
    if year > today.year or year < target.first_year:
        progress.status = NOT_STARTED
        return progress
    flow = target.indicator.measure == Indicator.Measure.FLOW
    if target.kind == Target.Kind.BY_END:
        return _total_by_end(progress, figures) if flow else _level_by_end(progress, figures)
    if target.kind == Target.Kind.LEVEL_EACH_YEAR:
        return _level_in_year(progress, figures)
    if flow:
        return _count_in_year(progress, figures.get(year))
    return _increase_in_year(progress, figures)
