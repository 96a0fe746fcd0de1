"""Reads of the dashboard: every chart's table, from the aggregate tables, for the jurisdictions a user
may see and a range of months. A few small GROUP BY queries over the aggregates, whatever the number of
cases (bench/dashboard.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from applications.models.ratings import POOR_LEVEL, RATING_INDICATORS, RatingLevel
from dashboard.charts import COUNT, DAYS, LABEL, NUMBER, RATE, TEXT, YUAN, Chart, Column, average, rate, yuan
from dashboard.models import (
    CaseCount,
    CorrectionItemCount,
    FollowUpCount,
    OpenCaseCount,
    RatingCount,
    Refresh,
    SettlementCount,
    SpendCount,
)
from dashboard.services.refresh import FOLLOW_UP_STEP, last_refresh, statutory_limits
from dashboard.targets import ACHIEVED, BEHIND, MISSED, NO_DATA, NOT_STARTED, ON_TRACK, Figure, target_progress
from policies.models import Indicator, Jurisdiction, ProgramBudget, SettlementRoute, SubsidyProgram, Target
from policies.models.targets import AGE_BANDS, AGE_UNKNOWN, EDUCATION_LEVELS, EDUCATION_UNKNOWN

STEP_LABELS = {
    "acceptance": _("Waiting for acceptance"),
    "correction": _("Waiting for the applicant's correction"),
    "review": _("Accepted, waiting for review"),
    "approval": _("Under review, waiting for approval"),
    "registration": _("Approved, waiting for registration"),
    FOLLOW_UP_STEP: _("Poor-rating follow-ups"),
}
STATUS_LABELS = {
    ACHIEVED: _("Achieved"),
    MISSED: _("Missed"),
    ON_TRACK: _("On track"),
    BEHIND: _("Behind"),
    NO_DATA: _("Figure not entered"),
    NOT_STARTED: _("Not started"),
}
METHOD_LABELS = {
    "actual": _("actual"),
    "run_rate": _("straight line: to date ÷ time elapsed"),
    "trend": _("straight line through the figures"),
    "latest": _("latest figure"),
    "": "",
}
SOURCE_LABELS = {
    Indicator.Source.SYSTEM: _("Counted by this system"),
    Indicator.Source.OUTSIDE: _("Outside statistics, entered yearly"),
}


@dataclass(frozen=True)
class Scope:
    """What the page shows: these jurisdictions (already limited to the ones the user may see), the
    months ``first_month``–``last_month`` (first days) and the targets of ``year``."""

    jurisdiction_ids: frozenset[int]
    first_month: date
    last_month: date

    @property
    def year(self) -> int:
        return self.last_month.year

    def months(self) -> list[date]:
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return months

    def filter(self, queryset, *, months: bool = True):
        queryset = queryset.filter(jurisdiction_id__in=self.jurisdiction_ids)
        return queryset.filter(month__gte=self.first_month, month__lte=self.last_month) if months else queryset


def subtree_ids(root_id: int) -> frozenset[int]:
    """A jurisdiction and every jurisdiction below it."""
    children = defaultdict(list)
    for pk, parent in Jurisdiction.objects.values_list("id", "parent_id"):
        children[parent].append(pk)
    found, stack = set(), [root_id]
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children[node])
    return frozenset(found)


def _month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def _names(model, ids, attribute: str = "name") -> dict[int, str]:
    return dict(model.objects.filter(pk__in=set(ids)).values_list("id", attribute))


def _pivot(scope: Scope, rows, key: str, names: dict[int, str], chart_id: str, title, value: str = "cases") -> Chart:
    """Months down, one column per ``key`` value across (zero-filled)."""
    table = defaultdict(int)
    for row in rows:
        table[(row["month"], row[key])] += row[value] or 0
    keys = sorted({k for _month, k in table}, key=lambda k: names.get(k, str(k)))
    chart = Chart(chart_id, title, [Column("month", _("Month"), LABEL)]
                  + [Column(f"{key}_{k}", names.get(k, str(k)), COUNT, draw="bar", stack=True) for k in keys])
    chart.rows = [[_month_label(m)] + [table.get((m, k), 0) for k in keys] for m in scope.months()]
    return chart


# --- settlements -----------------------------------------------------------------------------------
def settlement_charts(scope: Scope) -> list[Chart]:
    base = scope.filter(SettlementCount.objects.all())
    by_route = list(base.values("month", "route_id").annotate(cases=Sum("cases")))
    by_place = list(base.values("month", "jurisdiction_id").annotate(cases=Sum("cases")))
    by_age = dict(base.values_list("age_band").annotate(Sum("cases")))
    by_education = dict(base.values_list("education").annotate(Sum("cases")))
    routes = _names(SettlementRoute, [r["route_id"] for r in by_route])
    places = _names(Jurisdiction, [r["jurisdiction_id"] for r in by_place])
    age_rows = [[str(label), by_age.get(code, 0)] for code, label, *_bounds in AGE_BANDS]
    if by_age.get(AGE_UNKNOWN):
        age_rows.append([str(_("Unknown")), by_age[AGE_UNKNOWN]])
    education_rows = [[str(label), by_education.get(code, 0)] for code, label in EDUCATION_LEVELS]
    if by_education.get(EDUCATION_UNKNOWN):
        education_rows.append([str(_("Unknown")), by_education[EDUCATION_UNKNOWN]])
    return [
        _pivot(scope, by_route, "route_id", routes, "settlements_by_route", _("Settlements per month by route")),
        _pivot(scope, by_place, "jurisdiction_id", places, "settlements_by_jurisdiction",
               _("Settlements per month by jurisdiction")),
        Chart("settlements_by_age", _("Settlers by age band (on the settlement date)"),
              [Column("band", _("Age band"), LABEL), Column("cases", _("Settlements"), draw="bar")], age_rows),
        Chart("settlements_by_education", _("Settlers by education"),
              [Column("education", _("Education"), LABEL), Column("cases", _("Settlements"), draw="bar")],
              education_rows, horizontal=True),
    ]


def settlement_totals(scope: Scope) -> dict:
    totals = scope.filter(SettlementCount.objects.all()).aggregate(cases=Sum("cases"), persons=Sum("persons"))
    return {"cases": totals["cases"] or 0, "persons": totals["persons"] or 0}


# --- targets ---------------------------------------------------------------------------------------
def _system_counts(indicator: Indicator, visible: frozenset[int], first_year: int, today: date) -> dict[int, Figure]:
    """The yearly counts of a system-counted indicator, in its jurisdiction (as far as the user may see)."""
    rows = SettlementCount.objects.filter(
        jurisdiction_id__in=subtree_ids(indicator.jurisdiction_id) & visible,
        month__gte=date(first_year, 1, 1), month__lte=today,
    )
    route_ids = [route.pk for route in indicator.routes.all()]
    if route_ids:
        rows = rows.filter(route_id__in=route_ids)
    if indicator.education_levels:
        rows = rows.filter(education__in=indicator.education_levels)
    if indicator.age_bands:
        rows = rows.filter(age_band__in=indicator.age_bands)
    value = "persons" if indicator.count_followers else "cases"
    counts = defaultdict(int)
    for month, total in rows.values_list("month").annotate(Sum(value)):
        counts[month.year] += total
    return {
        year: Figure(year, Decimal(counts.get(year, 0)), date(year, 12, 31) if year < today.year else today)
        for year in range(first_year, today.year + 1)
    }


def target_rows(scope: Scope, today: date) -> list[dict]:
    """Every target in force in the scope's year, on an indicator of a jurisdiction in the scope."""
    year = scope.year
    targets = [
        t for t in Target.objects.filter(active=True, indicator__active=True,
                                         indicator__jurisdiction_id__in=scope.jurisdiction_ids)
        .select_related("indicator__jurisdiction", "document").prefetch_related("indicator__routes",
                                                                                  "indicator__figures")
        if t.applies_in(year)
    ]
    rows = []
    for target in targets:
        indicator = target.indicator
        if indicator.source == Indicator.Source.SYSTEM:
            figures = _system_counts(indicator, scope.jurisdiction_ids, target.first_year, today)
        else:
            figures = {f.year: Figure(f.year, f.value, f.as_of) for f in indicator.figures.all()}
        progress = target_progress(target, year=year, figures=figures, today=today)
        rows.append({"target": target, "progress": progress, "text": target_text(target),
                     "missing": years_text(progress.missing_years)})
    return rows


def _number(value: Decimal, unit: str) -> str:
    text = f"{value.normalize():,f}" if value == value.to_integral() else f"{value.normalize():,}"
    return f"{text}%" if unit == Indicator.Unit.PERCENT else text


def target_text(target: Target) -> str:
    """The aim in a few words: 每年不少于 1,500 / 每年增加 7,000（左右）/ 到2025年末达到 730,000 / 每年末不低于 99%."""
    value = _number(target.value, target.indicator.unit)
    if target.kind == Target.Kind.BY_END:
        text = _("%(value)s by the end of %(year)s") % {"value": value, "year": target.last_year}
    elif target.kind == Target.Kind.LEVEL_EACH_YEAR:
        text = _("at least %(value)s at each year-end") % {"value": value}
    elif target.indicator.measure == Indicator.Measure.FLOW:
        text = _("%(value)s a year") % {"value": value}
    else:
        text = _("up %(value)s a year") % {"value": value}
    return f"{text}{_('(about)') if target.wording == Target.Wording.ABOUT else ''}"


def years_text(years: list[int]) -> str:
    """2019、2020、2021、2023 → 2019—2021、2023."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "、".join(f"{run[0]}—{run[-1]}" if len(run) > 2 else "、".join(map(str, run)) for run in runs)


def targets_chart(rows: list[dict]) -> Chart:
    chart = Chart(
        "targets", _("Progress toward the targets"),
        [Column("indicator", _("Indicator"), LABEL), Column("source", _("Source"), TEXT),
         Column("kind", _("Target"), TEXT), Column("value", _("Target value"), NUMBER),
         Column("actual", _("Actual so far"), NUMBER), Column("projected", _("Projected"), NUMBER),
         Column("share", _("Projected as % of target"), RATE, draw="bar"),
         Column("status", _("Status"), TEXT), Column("method", _("How projected"), TEXT),
         Column("citation", _("Clause"), TEXT)],
        horizontal=True,
        note=_("Straight-line projection to the end of the year (or of the period): see the note below."),
    )
    for row in rows:
        target, progress = row["target"], row["progress"]
        status = str(STATUS_LABELS[progress.status])
        if progress.missing_years and progress.status == NO_DATA:
            status = f"{status}：{years_text(progress.missing_years)}"
        chart.rows.append([
            target.indicator.name, str(SOURCE_LABELS[target.indicator.source]), target_text(target),
            target.value, progress.actual, progress.projected, progress.share, status,
            str(METHOD_LABELS[progress.method]), target.citation,
        ])
    return chart


# --- processing time, corrections ------------------------------------------------------------------
def _metric_rows(scope: Scope, group: str) -> dict:
    """{(group value, metric): sums} of the case events in the scope."""
    rows = scope.filter(CaseCount.objects.all()).values(group, "metric").annotate(
        cases=Sum("cases"), working_days=Sum("working_days"), promised_days=Sum("promised_days"), late=Sum("late"),
        over_legal=Sum("over_legal"),
    )
    return {(row[group], row["metric"]): row for row in rows}


def _get(table: dict, key, metric: str, field: str = "cases") -> int:
    row = table.get((key, metric))
    return (row[field] or 0) if row else 0


def processing_charts(scope: Scope) -> list[Chart]:
    limits = statutory_limits()
    by_month = _metric_rows(scope, "month")
    by_route = _metric_rows(scope, "route_id")
    month_chart = Chart(
        "processing_by_month", _("Processing time per month"),
        [Column("month", _("Month"), LABEL),
         Column("decided", _("Decided"), draw="bar"),
         Column("late", _("Decided after the promised date"), draw="bar"),
         Column("over_legal", _("Decided beyond the legal limit"), draw="bar"),
         Column("avg_days", _("Average working days to decide"), DAYS, base="decided", draw="line", axis=1),
         Column("avg_promised", _("Average promised working days"), DAYS, base="decided", draw="line", axis=1),
         Column("responded", _("Filings answered (accepted, not accepted or correction)")),
         Column("responded_late", _("Answered beyond the legal acceptance limit")),
         Column("deemed", _("Deemed accepted (by the system)"), draw="bar")],
    )
    for month in scope.months():
        decided = _get(by_month, month, "decided")
        month_chart.rows.append([
            _month_label(month), decided, _get(by_month, month, "decided", "late"),
            _get(by_month, month, "decided", "over_legal"),
            average(_get(by_month, month, "decided", "working_days"), decided),
            average(_get(by_month, month, "decided", "promised_days"), decided),
            _get(by_month, month, "responded"), _get(by_month, month, "responded", "late"),
            _get(by_month, month, "deemed_accepted"),
        ])
    route_ids = {key for key, _metric in by_route}
    routes = {r.pk: r for r in SettlementRoute.objects.filter(pk__in=route_ids)}
    route_chart = Chart(
        "processing_by_route", _("Processing time by route"),
        [Column("route", _("Route"), LABEL), Column("decided", _("Decided")),
         Column("avg_days", _("Average working days to decide"), DAYS, base="decided", draw="bar"),
         Column("promised", _("Promised working days"), NUMBER, draw="bar"),
         Column("legal", _("Legal limit (working days)"), NUMBER),
         Column("on_time", _("On time (%)"), RATE, base="decided"),
         Column("over_legal", _("Beyond the legal limit"))],
        horizontal=True,
    )
    for pk in sorted(route_ids, key=lambda pk: routes[pk].sort_order):
        decided = _get(by_route, pk, "decided")
        if not decided:
            continue
        route_chart.rows.append([
            routes[pk].name, decided, average(_get(by_route, pk, "decided", "working_days"), decided),
            routes[pk].promised_working_days, limits["decision"],
            rate(decided - _get(by_route, pk, "decided", "late"), decided),
            _get(by_route, pk, "decided", "over_legal"),
        ])
    correction_chart = Chart(
        "corrections_by_route", _("Corrections per route"),
        [Column("route", _("Route"), LABEL), Column("received", _("Filings received")),
         Column("corrections", _("Correction notices")),
         Column("correction_rate", _("Correction notices per 100 filings"), RATE, base="received", draw="bar")],
        horizontal=True,
    )
    for pk in sorted(route_ids, key=lambda pk: routes[pk].sort_order):
        received, corrections = _get(by_route, pk, "received"), _get(by_route, pk, "correction_requested")
        if received or corrections:
            correction_chart.rows.append([routes[pk].name, received, corrections, rate(corrections, received)])
    return [month_chart, route_chart, correction_chart]


def processing_totals(scope: Scope) -> dict:
    totals = {
        row["metric"]: row
        for row in scope.filter(CaseCount.objects.all()).values("metric").annotate(
            cases=Sum("cases"), late=Sum("late"), over_legal=Sum("over_legal"))
    }
    decided = totals.get("decided", {}).get("cases", 0)
    return {
        "received": totals.get("received", {}).get("cases", 0),
        "decided": decided,
        "on_time": rate(decided - totals.get("decided", {}).get("late", 0), decided),
        "deemed": totals.get("deemed_accepted", {}).get("cases", 0),
    }


def correction_material_chart(scope: Scope, limit: int = 15) -> Chart:
    rows = (
        scope.filter(CorrectionItemCount.objects.all())
        .values("route_id", "material_code").annotate(items=Sum("items")).order_by("-items", "route_id",
                                                                                    "material_code")[:limit]
    )
    rows = list(rows)
    routes = _names(SettlementRoute, [r["route_id"] for r in rows])
    names = dict(
        scope.filter(CorrectionItemCount.objects.all())
        .filter(material_code__in=[r["material_code"] for r in rows]).values_list("material_code", "material_name")
    )
    return Chart(
        "correction_materials", _("Materials most often asked for again"),
        [Column("material", _("Material"), LABEL), Column("route", _("Route"), TEXT),
         Column("items", _("Times asked for"), draw="bar")],
        [[names.get(r["material_code"]) or r["material_code"], routes.get(r["route_id"], ""), r["items"]]
         for r in rows],
        horizontal=True,
    )


def open_cases_chart(scope: Scope) -> Chart:
    rows = {
        row["step"]: row
        for row in OpenCaseCount.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids)
        .values("step").annotate(cases=Sum("cases"), overdue=Sum("overdue"), over_legal=Sum("over_legal"))
    }
    chart = Chart(
        "open_cases", _("Open work on the day of the data"),
        [Column("step", _("Step"), LABEL), Column("cases", _("Open"), draw="bar"),
         Column("overdue", _("Overdue"), draw="bar"), Column("over_legal", _("Beyond the legal limit"), draw="bar")],
        note=_("Acceptance is overdue after the legal limit (it will be deemed accepted); the other steps after "
               "the promised due date."),
    )
    for step, label in STEP_LABELS.items():
        row = rows.get(step, {})
        chart.rows.append([str(label), row.get("cases", 0), row.get("overdue", 0), row.get("over_legal", 0)])
    return chart


# --- 好差评 ----------------------------------------------------------------------------------------
def rating_charts(scope: Scope) -> list[Chart]:
    base = scope.filter(RatingCount.objects.all())
    by_indicator = defaultdict(int)
    for indicator, level, ratings in base.values_list("indicator", "level").annotate(Sum("ratings")):
        by_indicator[(indicator, level)] += ratings
    levels = sorted(RatingLevel, reverse=True)
    indicator_chart = Chart(
        "ratings_by_indicator", _("Ratings by indicator"),
        [Column("indicator", _("Indicator"), LABEL)]
        + [Column(f"level_{level.value}", level.label, draw="bar", stack=True) for level in levels]
        + [Column("ratings", _("Ratings")),
           Column("good", _("Satisfied or better (%)"), RATE, base="ratings")],
        horizontal=True,
    )
    for field, label in RATING_INDICATORS:
        counts = [by_indicator.get((field, level.value), 0) for level in levels]
        total = sum(counts)
        good = sum(c for level, c in zip(levels, counts, strict=True) if level > POOR_LEVEL)
        indicator_chart.rows.append([label, *counts, total, rate(good, total)])

    overall = defaultdict(lambda: [0, 0])
    for place, level, ratings in base.filter(indicator="overall").values_list("jurisdiction_id", "level").annotate(
            Sum("ratings")):
        overall[place][0] += ratings
        overall[place][1] += ratings if level > POOR_LEVEL else 0
    follow = {
        row["jurisdiction_id"]: row
        for row in scope.filter(FollowUpCount.objects.all()).values("jurisdiction_id").annotate(
            opened=Sum("opened"), resolved=Sum("resolved"), days=Sum("resolve_working_days"))
    }
    still_open = dict(
        OpenCaseCount.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids, step=FOLLOW_UP_STEP)
        .values_list("jurisdiction_id").annotate(Sum("cases"))
    )
    places = _names(Jurisdiction, set(overall) | set(follow) | set(still_open))
    office_chart = Chart(
        "ratings_by_office", _("Ratings and follow-ups by office"),
        [Column("office", _("Office (jurisdiction)"), LABEL), Column("ratings", _("Ratings")),
         Column("good", _("Overall satisfied or better (%)"), RATE, base="ratings", draw="bar", axis=1),
         Column("opened", _("Follow-ups opened"), draw="bar"), Column("resolved", _("Follow-ups resolved")),
         Column("resolve_days", _("Average working days to resolve"), DAYS, base="resolved"),
         Column("open_now", _("Follow-ups open on the day of the data"), draw="bar")],
    )
    for place in sorted(places, key=lambda pk: places[pk]):
        ratings, good = overall.get(place, (0, 0))
        row = follow.get(place, {})
        office_chart.rows.append([
            places[place], ratings, rate(good, ratings), row.get("opened", 0), row.get("resolved", 0),
            average(row.get("days", 0), row.get("resolved", 0)), still_open.get(place, 0),
        ])
    return [indicator_chart, office_chart]


def rating_totals(scope: Scope) -> dict:
    rows = scope.filter(RatingCount.objects.filter(indicator="overall")).values_list("level").annotate(Sum("ratings"))
    total = sum(n for _level, n in rows)
    good = sum(n for level, n in rows if level > POOR_LEVEL)
    open_now = OpenCaseCount.objects.filter(
        jurisdiction_id__in=scope.jurisdiction_ids, step=FOLLOW_UP_STEP).aggregate(n=Sum("cases"))["n"] or 0
    return {"ratings": total, "good": rate(good, total), "follow_ups_open": open_now}


# --- money ---------------------------------------------------------------------------------------
def spend_charts(scope: Scope) -> list[Chart]:
    base = scope.filter(SpendCount.objects.all())
    by_month = list(base.values("month", "program_id").annotate(fen=Sum("amount_fen")))
    by_program = {
        row["program_id"]: row
        for row in base.values("program_id").annotate(
            payments=Sum("payments"), fen=Sum("amount_fen"), due=Sum("recovery_due"), due_fen=Sum("recovery_due_fen"))
    }
    year_spend = dict(
        SpendCount.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids, month__year=scope.year)
        .values_list("program_id").annotate(Sum("amount_fen"))
    )
    budgets = dict(
        ProgramBudget.objects.filter(year=scope.year).filter(
            Q(program_id__in=set(by_program) | set(year_spend)) | Q(program__jurisdiction_id__in=scope.jurisdiction_ids)
        ).values_list("program_id", "amount_fen")
    )
    programs = {p.pk: p for p in SubsidyProgram.objects.filter(pk__in=set(by_program) | set(year_spend) | set(budgets))}
    names = {pk: p.name for pk, p in programs.items()}
    month_chart = _pivot(scope, by_month, "program_id", names, "spend_by_month", _("Payments per month by program "
                                                                                  "(yuan)"), value="fen")
    for column in month_chart.columns[1:]:
        column.kind = YUAN
    month_chart.rows = [[row[0], *(yuan(v) for v in row[1:])] for row in month_chart.rows]
    program_chart = Chart(
        "spend_by_program", _("Spending per program against the year's budget (yuan)"),
        [Column("program", _("Program"), LABEL), Column("payments", _("Payments in the period")),
         Column("amount", _("Paid in the period (yuan)"), YUAN, base="payments", draw="bar"),
         Column("year_amount", _("Paid in the year so far (yuan)"), YUAN, draw="bar"),
         Column("budget", _("Budget of the year (yuan)"), YUAN, draw="bar"),
         Column("used", _("Budget used (%)"), RATE),
         Column("recovery_due", _("Payments to recover")),
         Column("recovery_due_amount", _("To recover (yuan)"), YUAN, base="recovery_due")],
        horizontal=True,
        note=_("Payments computed by the payment runs (应发), by the month of their reference day; returned "
               "payments (退票) are counted once the bank's results are imported."),
    )
    for pk in sorted(programs, key=lambda pk: programs[pk].code):
        row = by_program.get(pk, {})
        budget, spent = budgets.get(pk), year_spend.get(pk, 0)
        program_chart.rows.append([
            names[pk], row.get("payments", 0), yuan(row.get("fen", 0)), yuan(spent), yuan(budget),
            rate(spent, budget) if budget else None, row.get("due", 0), yuan(row.get("due_fen", 0)),
        ])
    return [program_chart, month_chart]


def spend_totals(scope: Scope) -> dict:
    totals = scope.filter(SpendCount.objects.all()).aggregate(fen=Sum("amount_fen"), payments=Sum("payments"))
    return {"amount": yuan(totals["fen"] or 0), "payments": totals["payments"] or 0}


# --- the page -------------------------------------------------------------------------------------
def dashboard_data(scope: Scope) -> dict:
    """Everything the page shows (and the exports write), from the last completed refresh."""
    refresh: Refresh | None = last_refresh()
    today = refresh.as_of if refresh else date.today()
    targets = target_rows(scope, today)
    charts = [
        targets_chart(targets),
        *settlement_charts(scope),
        *processing_charts(scope),
        open_cases_chart(scope),
        correction_material_chart(scope),
        *rating_charts(scope),
        *spend_charts(scope),
    ]
    return {
        "refresh": refresh,
        "targets": targets,
        "charts": charts,
        "totals": {
            "settlements": settlement_totals(scope),
            "processing": processing_totals(scope),
            "open": open_totals(charts_by_id(charts)["open_cases"]),
            "ratings": rating_totals(scope),
            "spend": spend_totals(scope),
        },
    }


def open_totals(open_cases: Chart) -> dict:
    cases = [row for row, step in zip(open_cases.rows, STEP_LABELS, strict=True) if step != FOLLOW_UP_STEP]
    return {"cases": sum(row[1] for row in cases), "overdue": sum(row[2] for row in cases),
            "over_legal": sum(row[3] for row in cases)}


def charts_by_id(charts: list[Chart]) -> dict[str, Chart]:
    return {chart.id: chart for chart in charts}
