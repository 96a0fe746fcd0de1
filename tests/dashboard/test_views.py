"""The dashboard page and its exports: who may open them, which jurisdictions they show, what an export
writes (small counts suppressed), and that the page needs no inline script."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from dashboard.charts import SUPPRESSED
from dashboard.selectors import Scope, dashboard_data, subtree_ids
from policies.models import Jurisdiction
from tests.dashboard import expected
from tests.dashboard.conftest import page_charts

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:index")
PERIOD = {"start": "2025-01", "end": "2026-11"}


def test_anonymous_is_sent_to_the_staff_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["clerk", "approver", "registrar", "finance", "policy_admin", "auditor"])
def test_other_roles_are_refused(client, staff_of, role):
    client.force_login(staff_of(role, "sx.kq"))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("dashboard:export", args=["all"])).status_code == 403


def test_an_applicant_is_refused(client):
    from tests.applications.factories import ApplicantFactory

    client.force_login(ApplicantFactory().user)
    assert client.get(URL).status_code == 403


def test_a_leader_without_a_jurisdiction_sees_nothing(client, staff_of):
    client.force_login(staff_of("leader"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "尚未为您分配行政区划" in response.content.decode()


def test_a_leader_of_one_district_sees_only_that_district(client, staff_of, world):
    client.force_login(staff_of("leader", "sx.kq"))
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    charts = page_charts(response)
    places = [c["label"] for c in charts["settlements_by_jurisdiction"]["columns"][1:]]
    assert places == ["柯桥区"]
    keqiao = subtree_ids(Jurisdiction.objects.get(code="sx.kq").pk)
    want = expected.settlements(set(keqiao), date(2025, 1, 1), date(2026, 11, 1))
    assert sum(sum(row[1:]) for row in charts["settlements_by_route"]["rows"]) == want["cases"]
    assert f'data-kpi="settlements">{want["cases"]}<' in response.content.decode()
    assert {c["label"] for c in charts["settlements_by_route"]["columns"][1:]} <= {
        "高校毕业生、同等学历及留学回国人员落户", "中等职业学校（含技校）毕业生落户", "专业技术职称人员落户"}
    offices = [row[0] for row in charts["ratings_by_office"]["rows"]]
    assert offices in (["柯桥区"], [])
    # the filter offers only what the leader may see, and refuses another jurisdiction by name
    assert re.findall(r'<option value="([a-z.]+)"', response.content.decode()) == ["sx.kq"]
    refused = client.get(URL, {**PERIOD, "jurisdiction": "jx"})
    assert refused.status_code == 400
    assert "jx" in refused.content.decode() and "dashboard-data" not in refused.content.decode()
    export = client.get(reverse("dashboard:export", args=["all"]), {**PERIOD, "jurisdiction": "jx"})
    assert export.status_code == 400
    assert "行政区划" in export.content.decode()


def test_a_provincial_analyst_narrows_to_one_city(client, staff_of, world):
    client.force_login(staff_of("analyst", "zj"))
    everywhere = page_charts(client.get(URL, PERIOD))
    jiaxing = page_charts(client.get(URL, {**PERIOD, "jurisdiction": "jx"}))
    assert len(everywhere["settlements_by_jurisdiction"]["columns"]) == 4  # month + three places
    assert [c["label"] for c in jiaxing["settlements_by_jurisdiction"]["columns"][1:]] == ["嘉兴市"]


@pytest.mark.parametrize("params, field", [
    ({"start": "2025-13"}, "起始月份"), ({"end": "yesterday"}, "截止月份"),
    ({"start": "2026-05", "end": "2026-01"}, "截止月份"), ({"start": "2010-01", "end": "2026-01"}, "截止月份"),
])
def test_a_bad_period_is_refused_naming_the_field(client, staff_of, params, field):
    client.force_login(staff_of("leader", "sx.kq"))
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.content.decode()
    export = client.get(reverse("dashboard:export", args=["settlements_by_age"]), params)
    assert export.status_code == 400 and field in export.content.decode()


def _workbook(response) -> openpyxl.Workbook:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_exports_write_every_chart_with_counts_under_five_suppressed(client, staff_of, world):
    client.force_login(staff_of("leader", "zj"))
    response = client.get(reverse("dashboard:export", args=["all"]), PERIOD)
    book = _workbook(response)
    scope = Scope(frozenset(Jurisdiction.objects.values_list("id", flat=True)), date(2025, 1, 1), date(2026, 11, 1))
    charts = dashboard_data(scope)["charts"]
    assert len(book.worksheets) == len(charts)
    suppressed = shown = 0
    for sheet, chart in zip(book.worksheets, charts, strict=True):
        assert sheet["A1"].value == str(chart.title)
        rows = list(sheet.iter_rows(min_row=9, values_only=True))
        assert len(rows) == len(chart.rows), chart.id
        for written, row in zip(rows, chart.rows, strict=True):
            for index, (cell, value) in enumerate(zip(written, row, strict=False)):
                column = chart.columns[index]
                base = row[[c.key for c in chart.columns].index(column.base)] if column.base else None
                small = (column.kind == "count" and isinstance(value, int) and 0 < value < 5) or (
                    isinstance(base, int) and 0 < base < 5)
                if small:
                    assert cell == SUPPRESSED, (chart.id, row, index)
                    suppressed += 1
                elif value is None:
                    assert cell is None
                elif isinstance(value, str):
                    assert cell == value
                else:
                    assert cell == pytest.approx(float(value)), (chart.id, row, index)
                    shown += 1
    assert suppressed > 10 and shown > 10  # the world has both small and large counts


def test_one_chart_exports_alone_and_an_unknown_chart_is_not_found(client, staff_of, world):
    client.force_login(staff_of("leader", "sx.kq"))
    book = _workbook(client.get(reverse("dashboard:export", args=["settlements_by_age"]), PERIOD))
    assert [sheet.title for sheet in book.worksheets] == ["落户人员年龄段分布（按落户登记日计）"[:28]]
    assert book.worksheets[0]["B2"].value.startswith("我可查看的全部区划")
    assert client.get(reverse("dashboard:export", args=["nothing"]), PERIOD).status_code == 404


def test_the_page_runs_no_inline_script_and_says_so_in_its_policy(client, staff_of, world):
    client.force_login(staff_of("leader", "sx.kq"))
    response = client.get(URL, PERIOD)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either


def test_the_page_costs_the_same_queries_however_much_data(client, staff_of, django_assert_max_num_queries, world):
    client.force_login(staff_of("analyst", "zj"))
    with django_assert_max_num_queries(45):
        assert client.get(URL, PERIOD).status_code == 200


def test_an_analyst_may_refresh_a_leader_may_not(client, staff_of, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from dashboard.models import Refresh

    client.force_login(staff_of("leader", "sx.kq"))
    assert client.post(reverse("dashboard:refresh")).status_code == 403
    client.force_login(staff_of("analyst", "sx.kq"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:refresh"), {"query": "start=2026-01"})
    assert response.status_code == 302 and response["Location"].endswith("?start=2026-01")
    refresh = Refresh.objects.get()
    assert refresh.status == "done" and refresh.trigger == "manual"
    assert "数据更新于" in client.get(URL).content.decode()
