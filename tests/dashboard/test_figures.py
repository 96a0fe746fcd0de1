"""Every figure of the dashboard equals a count computed independently from the same rows (tests/dashboard/
expected.py recomputes them in Python from the cases, not from the aggregates), for every jurisdiction
and for one jurisdiction, over a range of months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from applications.models.ratings import RATING_INDICATORS
from dashboard.charts import rate
from dashboard.selectors import STEP_LABELS, Scope, charts_by_id, dashboard_data, subtree_ids
from policies.models import Jurisdiction
from policies.models.targets import AGE_BANDS, EDUCATION_LEVELS
from tests.dashboard import expected

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2025, 1, 1), date(2026, 11, 1)


def scopes():
    everywhere = frozenset(Jurisdiction.objects.values_list("id", flat=True))
    keqiao = subtree_ids(Jurisdiction.objects.get(code="sx.kq").pk)
    return {"everywhere": Scope(everywhere, FIRST, LAST), "sx.kq": Scope(keqiao, date(2025, 4, 1), date(2026, 3, 1))}


def table(chart, key_column: int = 0) -> dict:
    """{(row label, column label): value} of a chart."""
    return {
        (row[key_column], column.label): value
        for row in chart.rows for column, value in zip(chart.columns, row, strict=True)
    }


def column(chart, label: str) -> dict:
    index = [str(c.label) for c in chart.columns].index(label)
    return {row[0]: row[index] for row in chart.rows}


@pytest.mark.parametrize("name", ["everywhere", "sx.kq"])
def test_settlements_equal_the_registrations(world, name):
    scope = scopes()[name]
    charts = charts_by_id(dashboard_data(scope)["charts"])
    want = expected.settlements(set(scope.jurisdiction_ids), scope.first_month, scope.last_month)
    assert want["cases"] > 10  # the world gives something to count

    by_route = charts["settlements_by_route"]
    got = {(date.fromisoformat(row[0] + "-01"), str(c.label)): v
           for row in by_route.rows for c, v in zip(by_route.columns[1:], row[1:], strict=True) if v}
    assert got == dict(want["route"])
    assert [row[0] for row in by_route.rows] == [f"{m:%Y-%m}" for m in scope.months()]  # every month, zeros too
    by_place = charts["settlements_by_jurisdiction"]
    got = {(date.fromisoformat(row[0] + "-01"), str(c.label)): v
           for row in by_place.rows for c, v in zip(by_place.columns[1:], row[1:], strict=True) if v}
    assert got == dict(want["place"])
    ages = dict(charts["settlements_by_age"].rows)
    for code, label, *_bounds in AGE_BANDS:
        assert ages[str(label)] == want["age"].get(code, 0), code
    educations = dict(charts["settlements_by_education"].rows)
    for code, label in EDUCATION_LEVELS:
        assert educations[str(label)] == want["education"].get(code, 0), code
    assert educations.get("未知", 0) == want["education"].get("unknown", 0)
    totals = dashboard_data(scope)["totals"]["settlements"]
    assert totals == {"cases": want["cases"], "persons": want["persons"]}


@pytest.mark.parametrize("name", ["everywhere", "sx.kq"])
def test_processing_time_deemed_acceptances_and_corrections_equal_the_transitions(world, name):
    scope = scopes()[name]
    data = dashboard_data(scope)
    charts = charts_by_id(data["charts"])
    want = expected.processing(set(scope.jurisdiction_ids), scope.first_month, scope.last_month)
    assert sum(want["decided"].values()) > 5 and sum(want["deemed"].values()) >= 1

    months = charts["processing_by_month"]
    assert column(months, "已决定") == {m: want["decided"].get(m, 0) for m in column(months, "已决定")}
    assert column(months, "超过承诺日期决定") == {m: want["late"].get(m, 0) for m in column(months, "已决定")}
    assert column(months, "超过法定时限决定") == {m: want["over_legal"].get(m, 0) for m in column(months, "已决定")}
    assert column(months, "视为受理（系统）") == {m: want["deemed"].get(m, 0) for m in column(months, "已决定")}
    assert column(months, "已作出受理答复（受理、不予受理或补正）") == {
        m: want["responded"].get(m, 0) for m in column(months, "已决定")}
    assert column(months, "超过法定受理时限答复") == {
        m: want["responded_late"].get(m, 0) for m in column(months, "已决定")}
    for m, average in column(months, "平均办理工作日").items():
        n = want["decided"].get(m, 0)
        assert average == (None if not n else (Decimal(want["days"][m]) / n).quantize(Decimal("0.1"))), m

    routes = charts["processing_by_route"]
    assert column(routes, "已决定") == dict(+want["decided_route"])
    for route, on_time in column(routes, "按时办结率（%）").items():
        decided = want["decided_route"][route]
        assert on_time == rate(decided - want["late_route"][route], decided)
    corrections = charts["corrections_by_route"]
    assert {k: v for k, v in column(corrections, "补正通知").items() if v} == dict(+want["corrections"])
    assert {k: v for k, v in column(corrections, "收件数").items() if v} == dict(+want["received"])
    materials = {(row[0], row[1]): row[2] for row in charts["correction_materials"].rows}  # the 15 most asked
    assert len(materials) == min(15, len(want["materials"]))
    assert materials == {key: want["materials"][key] for key in materials}
    assert max(n for key, n in want["materials"].items() if key not in materials) <= min(materials.values()) \
        if len(want["materials"]) > 15 else True

    assert data["totals"]["processing"]["deemed"] == sum(want["deemed"].values())


@pytest.mark.parametrize("name", ["everywhere", "sx.kq"])
def test_open_and_overdue_work_equals_the_cases_on_the_day_of_the_data(world, name):
    scope = scopes()[name]
    charts = charts_by_id(dashboard_data(scope)["charts"])
    want = expected.open_work(set(scope.jurisdiction_ids), world.today)
    assert sum(want["open"].values()) > 3

    rows = {row[0]: row[1:] for row in charts["open_cases"].rows}
    for step, label in STEP_LABELS.items():
        assert rows[str(label)] == [want["open"].get(step, 0), want["overdue"].get(step, 0),
                                    want["over_legal"].get(step, 0)], step


@pytest.mark.parametrize("name", ["everywhere", "sx.kq"])
def test_ratings_and_follow_ups_equal_the_ratings(world, name):
    scope = scopes()[name]
    charts = charts_by_id(dashboard_data(scope)["charts"])
    want = expected.ratings(set(scope.jurisdiction_ids), scope.first_month, scope.last_month)
    assert sum(want["overall"].values()) > 3

    indicators = charts["ratings_by_indicator"]
    labels = [str(c.label) for c in indicators.columns]
    for row, (field, _label) in zip(indicators.rows, RATING_INDICATORS, strict=True):
        for level, name_ in ((5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")):
            assert row[labels.index(name_)] == want["levels"].get((field, level), 0), (field, level)
    offices = charts["ratings_by_office"]
    assert {k: v for k, v in column(offices, "评价数").items() if v} == dict(want["overall"])
    for office, good in column(offices, "总体满意及以上（%）").items():
        assert good == rate(want["good"][office], want["overall"][office])
    assert {k: v for k, v in column(offices, "生成整改").items() if v} == dict(want["opened"])


@pytest.mark.parametrize("name", ["everywhere", "sx.kq"])
def test_spending_equals_the_payments(world, name):
    scope = scopes()[name]
    charts = charts_by_id(dashboard_data(scope)["charts"])
    want = expected.spend(set(scope.jurisdiction_ids), scope.first_month, scope.last_month)
    assert sum(want["payments"].values()) > 3

    programs = charts["spend_by_program"]
    assert {k: v for k, v in column(programs, "期间发放笔数").items() if v} == dict(want["payments"])
    assert {k: v for k, v in column(programs, "期间发放金额（元）").items() if v} == want["yuan"]
    assert {k: v for k, v in column(programs, "待追回笔数").items() if v} == dict(want["due"])
    months = charts["spend_by_month"]
    assert sum(v for row in months.rows for v in row[1:]) == sum(want["yuan"].values())
