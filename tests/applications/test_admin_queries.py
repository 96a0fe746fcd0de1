"""A queue page and a case page cost the same number of queries whatever the number of rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import ApplicationState
from applications.services.transitions import application_assign
from tests.applications.test_admin_support import (
    CHANGELIST,
    add_family,
    add_material,
    case_url,
    client_for,
    make_case,
)

S = ApplicationState


def _queries(client, url: str, params: dict | None = None) -> list[str]:
    client.get(url, params)  # warm up: session, content types, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _queue_cases(applicant, clerk, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        case = make_case(applicant, state=S.SUBMITTED if i % 2 else S.RESUBMITTED, due=today + timedelta(days=i - 5))
        if i % 3 == 0:
            application_assign(application_id=case.pk, actor=clerk, assignee=clerk)


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["accept", "all"])
def test_a_queue_page_costs_the_same_with_3_and_30_cases(applicant, clerk, step):
    client = client_for(clerk)

    _queue_cases(applicant, clerk, 3)
    few = _queries(client, CHANGELIST, {"step": step})
    _queue_cases(applicant, clerk, 27)
    many = _queries(client, CHANGELIST, {"step": step})

    assert len(few) == len(many), "\n".join(many)
    assert len([sql for sql in many if "policies_workingcalendarday" in sql]) == 1


@pytest.mark.django_db
def test_the_case_page_costs_the_same_with_1_and_5_materials(applicant, clerk):
    client = client_for(clerk)
    small = make_case(applicant, state=S.ACCEPTED, due=timezone.localdate())
    add_material(small)
    add_family(small)
    large = make_case(applicant, state=S.ACCEPTED, due=timezone.localdate())
    for code in ("id_card", "hukou_booklet", "diploma", "diploma", "family_relation"):
        add_material(large, code)
    for relation in ("spouse", "child", "parent"):
        add_family(large, relation)
    for case in (small, large):
        application_assign(application_id=case.pk, actor=clerk, assignee=clerk)
    application_assign(application_id=large.pk, actor=clerk, assignee=None)
    application_assign(application_id=large.pk, actor=clerk, assignee=clerk)

    one = _queries(client, case_url(small))
    five = _queries(client, case_url(large))

    assert len(one) == len(five), "\n".join(five)
