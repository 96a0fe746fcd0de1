"""The list endpoints run the same number of queries for 2 rows as for 20 (no per-row query): the
case list for an applicant and for a clerk, the message list, and a case's detail page however many
materials, relatives and steps it has."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from applications.models import Application, ApplicationTransition, Notification
from applications.services.drafts import application_create, family_member_add, material_add
from tests.applications.factories import GRADUATE_FACTS, ApplicantFactory, id_number, pdf

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(type(user).objects.get(pk=user.pk))
    return client


def add_cases(count: int, applicant=None) -> list[Application]:
    """``count`` Keqiao cases (of ``applicant``, or each of a new applicant); every other one filed,
    with a due date, so that the rows exercise the working-days-left column too."""
    cases = []
    for index in range(count):
        owner = applicant or ApplicantFactory()
        case = application_create(applicant=owner, route_code="kq.graduate", jurisdiction_code="sx.kq",
                                  facts=GRADUATE_FACTS)
        if index % 2:
            Application.objects.filter(pk=case.pk).update(
                state="submitted", submitted_at=timezone.now(),
                due_date=timezone.localdate() + timedelta(days=index - 5),
            )
        elif applicant is not None and index < count - 1:  # one open draft per route: close it for the next
            Application.objects.filter(pk=case.pk).update(state="withdrawn")
        cases.append(case)
    return cases


def queries_for(client, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(captured), response.json()


def test_an_applicants_case_list_is_constant_in_queries(applicant, django_assert_num_queries):
    client = client_for(applicant.user)
    add_cases(2, applicant)
    few, body = queries_for(client, f"{API}/applications/")
    assert body["count"] == 2

    add_cases(18, applicant)
    with django_assert_num_queries(few):
        response = client.get(f"{API}/applications/")

    rows = response.json()["results"]
    assert len(rows) == 20
    assert any(isinstance(row["working_days_left"], int) for row in rows)
    assert all(row["applicant"]["id_number_masked"].count("*") == 8 for row in rows)


def test_a_clerks_case_list_is_constant_in_queries(staff_factory, django_assert_num_queries):
    clerk = client_for(staff_factory("clerk", "sx.kq"))
    add_cases(2)
    few, body = queries_for(clerk, f"{API}/applications/")
    assert body["count"] == 2

    add_cases(18)
    with django_assert_num_queries(few):
        response = clerk.get(f"{API}/applications/")

    rows = response.json()["results"]
    assert len(rows) == 20 and len({row["applicant"]["real_name"] + row["case_number"] for row in rows}) == 20
    full_numbers = set(Application.objects.values_list("applicant__id_number", flat=True))
    assert not any(number in response.content.decode() for number in full_numbers)


def test_a_filtered_list_is_constant_in_queries(staff_factory, django_assert_num_queries):
    clerk = client_for(staff_factory("clerk", "sx.kq"))
    add_cases(4)
    few, body = queries_for(clerk, f"{API}/applications/?state=submitted")
    assert body["count"] == 2

    add_cases(36)
    with django_assert_num_queries(few):
        response = clerk.get(f"{API}/applications/?state=submitted")
    assert response.json()["count"] == 20
    assert {row["state"] for row in response.json()["results"]} == {"submitted"}


def test_the_message_list_is_constant_in_queries(applicant, django_assert_num_queries):
    client = client_for(applicant.user)

    def add_messages(count):
        for case in add_cases(count, applicant):
            Notification.objects.create(user=applicant.user, application=case, subject="消息", body="正文")

    add_messages(2)
    few, body = queries_for(client, f"{API}/notifications/")
    assert body["count"] == 2

    add_messages(18)
    with django_assert_num_queries(few):
        response = client.get(f"{API}/notifications/")
    assert len(response.json()["results"]) == 20
    assert all(row["case_number"] for row in response.json()["results"])


def test_a_case_detail_is_constant_in_queries(draft, applicant, django_assert_num_queries, settings):
    settings.MATERIAL_MAX_FILES_PER_ITEM = 20
    client = client_for(applicant.user)
    url = f"{API}/applications/{draft.case_number}/"
    family_member_add(application=draft, relation="spouse", real_name="李四", id_number=id_number(date(1996, 1, 1)))
    ApplicationTransition.objects.create(application=draft, transition="claim", source="draft", target="draft")
    few, _ = queries_for(client, url)

    for relation, born in (("child", date(2022, 1, 1)), ("parent", date(1968, 1, 1)),
                           ("spouse_parent", date(1969, 1, 1))):
        family_member_add(application=draft, relation=relation, real_name="亲属",
                          id_number=id_number(born, region="110105"))
    for _ in range(10):
        material_add(application=draft, checklist_code="diploma", upload=pdf())
        ApplicationTransition.objects.create(application=draft, transition="claim", source="draft", target="draft")
    with django_assert_num_queries(few):
        response = client.get(url)

    body = response.json()
    assert len(body["family_members"]) == 4 and len(body["timeline"]) == 11 and len(body["materials"]) > 10


def test_a_huge_list_counts_only_up_to_the_cap(staff_factory, monkeypatch):
    from applications.api.views import CappedCountPaginator

    clerk = client_for(staff_factory("clerk", "sx.kq"))
    add_cases(5)
    assert clerk.get(f"{API}/applications/").json()["count_capped"] is False

    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 3)
    body = clerk.get(f"{API}/applications/?page_size=2").json()

    assert body["count"] == 3 and body["count_capped"] is True and len(body["results"]) == 2
