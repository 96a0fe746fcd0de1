"""The clerks' work queues in the admin: one per step, the clerk's jurisdictions only, overdue first,
working days left shown, and counts that never run over the whole table."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.admin.paginator import BoundedCountPaginator
from applications.admin.workdays import working_days_left
from applications.models import ApplicationState
from tests.applications.test_admin_support import CHANGELIST, client_for, make_case

S = ApplicationState


@pytest.fixture
def cases(applicant):
    today = timezone.localdate()
    return {
        "late": make_case(applicant, state=S.SUBMITTED, due=today - timedelta(days=3)),
        "later": make_case(applicant, state=S.SUBMITTED, due=today + timedelta(days=12)),
        "soon": make_case(applicant, state=S.RESUBMITTED, due=today + timedelta(days=1)),
        "accepted": make_case(applicant, state=S.ACCEPTED, due=today + timedelta(days=4)),
        "accepted_late": make_case(applicant, state=S.ACCEPTED, due=today - timedelta(days=20)),
        "review": make_case(applicant, state=S.UNDER_REVIEW, due=today + timedelta(days=2)),
        "approved": make_case(applicant, state=S.APPROVED, due=today + timedelta(days=2)),
        "registered": make_case(applicant, state=S.REGISTERED, due=today - timedelta(days=2)),
        "draft": make_case(applicant, state=S.DRAFT),
        "jx": make_case(applicant, state=S.SUBMITTED, jurisdiction="jx", route="jx.talent",
                        due=today - timedelta(days=30)),
        "jx_approved": make_case(applicant, state=S.APPROVED, jurisdiction="jx", route="jx.talent",
                                 due=today - timedelta(days=30)),
    }


def _rows(client, step: str, **params):
    response = client.get(CHANGELIST, {"step": step, **params})
    assert response.status_code == 200
    return response, [row.case_number for row in response.context["cl"].result_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("accept", ["late", "soon", "later"]),
        ("review", ["accepted_late", "accepted"]),
        ("approve", ["review"]),
        ("register", ["approved"]),
    ],
)
def test_each_queue_lists_its_step_of_the_clerks_jurisdictions_overdue_first(cases, clerk, step, expected):
    _, rows = _rows(client_for(clerk), step)

    assert rows == [cases[name].case_number for name in expected]


@pytest.mark.django_db
def test_a_clerk_of_jiaxing_sees_only_jiaxing_cases(cases, staff_factory):
    jx_clerk = client_for(staff_factory("clerk", "jx"))

    assert _rows(jx_clerk, "accept")[1] == [cases["jx"].case_number]
    assert _rows(jx_clerk, "register")[1] == [cases["jx_approved"].case_number]
    assert _rows(jx_clerk, "review")[1] == []


@pytest.mark.django_db
def test_the_queue_shows_the_columns_and_marks_overdue_and_nearly_due(cases, clerk):
    response, _ = _rows(client_for(clerk), "accept")
    html = response.content.decode()

    late = cases["late"]
    assert late.case_number in html
    assert late.applicant.id_number_masked in html and late.applicant.id_number not in html
    assert late.route.name in html and late.jurisdiction.name in html
    assert 'class="days-left overdue"' in html
    assert 'class="days-left nearly-due"' in html
    assert response.context["cl"].result_list[0].days_left.overdue


@pytest.mark.django_db
def test_the_changelist_without_a_step_opens_the_roles_own_queue(staff_factory):
    assert client_for(staff_factory("clerk")).get(CHANGELIST).url == f"{CHANGELIST}?step=accept"
    assert client_for(staff_factory("approver")).get(CHANGELIST).url == f"{CHANGELIST}?step=approve"
    assert client_for(staff_factory("registrar")).get(CHANGELIST).url == f"{CHANGELIST}?step=register"
    assert client_for(staff_factory("auditor")).get(CHANGELIST).url == f"{CHANGELIST}?step=all"
    assert client_for(staff_factory("finance")).get(CHANGELIST).status_code == 403


@pytest.mark.django_db
def test_all_cases_lists_every_submitted_case_of_the_jurisdiction_and_finds_a_case_number(cases, staff_factory):
    auditor = client_for(staff_factory("auditor"))

    _, rows = _rows(auditor, "all")
    assert set(rows) == {c.case_number for name, c in cases.items() if name not in ("draft", "jx", "jx_approved")}
    _, found = _rows(auditor, "all", q=cases["registered"].case_number.lower())
    assert found == [cases["registered"].case_number]
    _, not_mine = _rows(auditor, "all", q=cases["jx"].case_number)
    assert not_mine == []


@pytest.mark.django_db
def test_claimed_by_me_filter(cases, clerk, client):
    from applications.services.transitions import application_assign

    application_assign(application_id=cases["soon"].pk, actor=clerk, assignee=clerk)

    _, rows = _rows(client_for(clerk), "accept", assigned="me")
    assert rows == [cases["soon"].case_number]
    _, rows = _rows(client_for(clerk), "accept", assigned="nobody")
    assert rows == [cases["late"].case_number, cases["later"].case_number]


@pytest.mark.django_db
def test_the_count_is_bounded_and_never_counts_the_whole_table(cases, clerk, monkeypatch):
    from applications.admin.cases import ApplicationAdmin

    monkeypatch.setattr(BoundedCountPaginator, "bound", 2)
    monkeypatch.setattr(ApplicationAdmin, "list_per_page", 1)
    client = client_for(clerk)
    client.get(CHANGELIST, {"step": "accept"})  # warm up the session and caches

    with CaptureQueriesContext(connection) as queries:
        response, rows = _rows(client, "accept")

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql for sql in counts)
    assert rows == [cases["late"].case_number]
    assert response.context["cl"].paginator.capped
    assert "办件超过 2 件" in response.content.decode()  # the capped count, said in Chinese


@pytest.mark.django_db
def test_working_days_left_skips_holidays_and_counts_make_up_days():
    # 2024: 1–7 October off; Sunday 29 September and Saturday 12 October are make-up working days.
    today = date(2024, 9, 27)  # a Friday
    left = working_days_left([date(2024, 9, 29), date(2024, 10, 8), date(2024, 9, 27), date(2024, 9, 26)], today)

    assert left[date(2024, 9, 29)].days == 1  # the make-up Sunday
    assert left[date(2024, 10, 8)].days == 3  # 29 Sep, 30 Sep, 8 Oct
    assert left[date(2024, 9, 27)].days == 0 and not left[date(2024, 9, 27)].overdue
    assert left[date(2024, 9, 26)].overdue and left[date(2024, 9, 26)].days == -1
    assert working_days_left([None], today) == {}
