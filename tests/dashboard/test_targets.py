"""Targets as policy data (seeded from the notices, each citing its clause) and their progress: actual,
projected to the end of the year or period, on track or not; outside figures entered by analysts of
their own jurisdictions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboard.services.refresh import dashboard_refresh
from dashboard.targets import ACHIEVED, BEHIND, MISSED, NO_DATA, NOT_STARTED, ON_TRACK, Figure, target_progress
from policies.models import Indicator, IndicatorFigure, Jurisdiction, Target
from tests.dashboard import expected
from tests.dashboard.conftest import page_charts

pytestmark = pytest.mark.django_db
D = Decimal


def target(code: str, kind: str) -> Target:
    return Target.objects.select_related("indicator", "document").get(indicator__code=code, kind=kind)


def test_the_notices_targets_are_seeded_with_their_clauses():
    rows = {(t.indicator.code, t.kind): t for t in Target.objects.select_related("indicator", "document")}
    hukou = rows[("kq.hukou_population", "per_year")]
    assert (hukou.value, hukou.wording, hukou.first_year, hukou.last_year) == (D(7000), "about", 2020, 2025)
    assert hukou.citation == "绍柯政办发〔2020〕1号 一" and "7000" in hukou.quote
    assert rows[("kq.hukou_population", "by_end")].value == D(730000)
    assert rows[("kq.resident_population", "per_year")].value == D(10000)
    assert rows[("kq.resident_population", "by_end")].value == D(1050000)
    assert rows[("kq.young_residents", "per_year")].value == D(5000)
    assert rows[("kq.new_employed_graduates", "per_year")].value == D(1500)
    assert rows[("kq.graduate_local_employment_rate", "per_year")].value == D(5)
    assert rows[("kq.graduate_local_employment_rate", "by_end")].value == D(25)
    assert rows[("kq.vocational_local_employment_rate", "by_end")].citation.endswith("二(五)13")
    assert rows[("kq.vocational_local_employment_rate", "by_end")].value == D(90)
    assert rows[("jx.medical_insurance_rate", "level_each_year")].last_year is None
    system = Indicator.objects.get(code="kq.settled_graduates")
    assert system.source == "system" and system.education_levels == ["junior_college", "bachelor", "master", "doctor"]
    assert {i.source for i in Indicator.objects.exclude(code="kq.settled_graduates")} == {"outside"}
    assert Target.history.filter(history_change_reason="seeded from the notices in shared/seeds").count() == 13


def fig(year: int, value, as_of: date | None = None) -> Figure:
    return Figure(year, D(value), as_of or date(year, 12, 31))


def test_a_count_this_year_is_projected_in_a_straight_line():
    t = target("kq.settled_graduates", "per_year")  # 1,500 a year
    halfway = date(2025, 7, 2)  # day 183 of 365
    progress = target_progress(t, year=2025, figures={2025: fig(2025, 800, halfway)}, today=halfway)
    assert progress.actual == D(800)
    assert progress.projected == (D(800) * 365 / 183).quantize(D("0.01"))
    assert progress.status == ON_TRACK and progress.method == "run_rate"
    slow = target_progress(t, year=2025, figures={2025: fig(2025, 700, halfway)}, today=halfway)
    assert slow.status == BEHIND


def test_a_past_year_is_judged_on_what_happened():
    t = target("kq.settled_graduates", "per_year")
    assert target_progress(t, year=2024, figures={2024: fig(2024, 1500)}, today=date(2025, 3, 1)).status == ACHIEVED
    assert target_progress(t, year=2024, figures={2024: fig(2024, 1499)}, today=date(2025, 3, 1)).status == MISSED
    assert target_progress(t, year=2027, figures={}, today=date(2025, 3, 1)).status == NOT_STARTED


def test_an_increase_needs_both_year_end_figures_and_says_which_is_missing():
    t = target("kq.hukou_population", "per_year")  # +7,000 a year
    missing = target_progress(t, year=2024, figures={2024: fig(2024, 720000)}, today=date(2025, 3, 1))
    assert missing.status == NO_DATA and missing.missing_years == [2023]
    done = target_progress(t, year=2024, figures={2023: fig(2023, 713000), 2024: fig(2024, 720500)},
                           today=date(2025, 3, 1))
    assert (done.actual, done.status) == (D(7500), ACHIEVED)
    preliminary = target_progress(t, year=2024, figures={2023: fig(2023, 713000),
                                                          2024: fig(2024, 716000, date(2024, 6, 30))},
                                  today=date(2024, 8, 1))
    assert preliminary.projected == (D(3000) * 366 / 182).quantize(D("0.01"))  # 2024 is a leap year
    assert preliminary.status == BEHIND


def test_a_level_by_the_end_follows_the_line_through_the_figures():
    t = target("kq.hukou_population", "by_end")  # 730,000 by the end of 2025
    figures = {2019: fig(2019, 690000), 2022: fig(2022, 712000)}
    progress = target_progress(t, year=2022, figures=figures, today=date(2023, 2, 1))
    slope = D(22000) / D((date(2022, 12, 31) - date(2019, 12, 31)).days)
    ahead = (date(2025, 12, 31) - date(2022, 12, 31)).days
    assert progress.projected == (D(712000) + slope * ahead).quantize(D("0.01"))
    assert progress.status == ON_TRACK and progress.missing_years == [2020, 2021]
    alone = target_progress(t, year=2022, figures={2022: fig(2022, 712000)}, today=date(2023, 2, 1))
    assert alone.projected is None and alone.status == NO_DATA
    final = target_progress(t, year=2025, figures={**figures, 2025: fig(2025, 729000)}, today=date(2026, 2, 1))
    assert final.status == MISSED


def test_a_level_each_year_and_a_rate():
    insurance = target("jx.medical_insurance_rate", "level_each_year")  # 99 %
    assert target_progress(insurance, year=2026, figures={2026: fig(2026, "99.2")}, today=date(2027, 1, 5)).status \
        == ACHIEVED
    assert target_progress(insurance, year=2026, figures={2026: fig(2026, "98.7", date(2026, 6, 30))},
                           today=date(2026, 8, 1)).status == BEHIND
    rate = target("kq.graduate_local_employment_rate", "per_year")  # +5 points a year
    assert target_progress(rate, year=2023, figures={2022: fig(2022, 14), 2023: fig(2023, "19.5")},
                           today=date(2024, 1, 9)).status == ACHIEVED


def test_the_system_counted_target_equals_the_registrations_and_outside_ones_say_what_is_missing(
        client, staff_of, world):
    client.force_login(staff_of("leader", "sx.kq"))
    response = client.get(reverse("dashboard:index"), {"start": "2025-01", "end": "2025-12"})
    rows = {row[0]: row for row in page_charts(response)["targets"]["rows"] if row[2].startswith("每年")}
    keqiao = {Jurisdiction.objects.get(code="sx.kq").pk}
    settled = expected.settlements(keqiao, date(2025, 1, 1), date(2025, 12, 1))["education"]
    graduates = sum(settled.get(level, 0) for level in ("junior_college", "bachelor", "master", "doctor"))
    assert rows["落户柯桥的高校毕业生"][4] == graduates  # actual so far: 2025 is over on the data's day
    assert rows["落户柯桥的高校毕业生"][7] == "未完成"  # far below 1,500
    assert rows["落户柯桥的高校毕业生"][1] == "系统自动统计"
    assert rows["户籍人口"][1] == "外部统计数据（每年录入）"
    assert rows["户籍人口"][7] == "数据未录入：2024、2025"
    assert rows["落户柯桥的高校毕业生"][2] == "每年 1,500"
    assert "嘉兴" not in response.content.decode()  # jx's target is not shown to a Keqiao leader


def test_an_analyst_enters_the_years_figures_for_their_own_jurisdiction(client, staff_of, world):
    analyst = staff_of("analyst", "sx.kq")
    client.force_login(analyst)
    add = reverse("admin:policies_indicatorfigure_add")
    form = client.get(add, {"year": "2025"})
    assert form.status_code == 200
    html = form.content.decode()
    assert "户籍人口" in html and "户籍法定人员基本医疗保险参保率" not in html  # jx's indicator is not offered
    assert 'value="2025/12/31"' in html  # the year's end, in the admin's Chinese date format
    hukou = Indicator.objects.get(code="kq.hukou_population")
    for year, value in ((2024, "722000"), (2025, "730400")):
        response = client.post(add, {"indicator": hukou.pk, "year": year, "value": value, "as_of": f"{year}-12-31",
                                     "source": f"{year}年公安户籍统计", "note": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
    wrong = client.post(add, {"indicator": hukou.pk, "year": 2023, "value": "1", "as_of": "2024-12-31", "source": "x"})
    assert wrong.status_code == 200 and "数据日期必须在该年度内" in wrong.content.decode()
    jx = Indicator.objects.get(code="jx.medical_insurance_rate")
    other = client.post(add, {"indicator": jx.pk, "year": 2025, "value": "99", "as_of": "2025-12-31", "source": "x"})
    assert other.status_code == 200 and not IndicatorFigure.objects.filter(indicator=jx).exists()
    assert IndicatorFigure.history.filter(history_user=analyst).count() == 2

    dashboard_refresh(trigger="test", today=world.today)
    client.force_login(staff_of("leader", "sx.kq"))
    rows = {(row[0], row[2][:2]): row for row in page_charts(client.get(
        reverse("dashboard:index"), {"start": "2025-01", "end": "2025-12"}))["targets"]["rows"]}
    assert rows[("户籍人口", "每年")][4] == 8400 and rows[("户籍人口", "每年")][7] == "已完成"
    assert rows[("户籍人口", "到2")][4] == 730400 and rows[("户籍人口", "到2")][7] == "已完成"
