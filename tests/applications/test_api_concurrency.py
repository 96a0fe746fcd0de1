"""A double click on PostgreSQL: two submit requests for one case arrive at the same moment.

With the same Idempotency-Key the case is filed once and both clicks get the same answer; with two
different keys one files and the other is told the case was already filed (409)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from applications.models import ApplicationState, IdempotencyKey


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def click_twice_at_once(user, url: str, keys: tuple[str, str]) -> list:
    barrier = threading.Barrier(2)
    responses = []

    def click(key):
        client = APIClient()
        client.force_login(user)
        try:
            barrier.wait()
            responses.append(client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=key))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_with_one_key_file_once_and_answer_alike(draft, applicant):
    user = type(applicant.user).objects.get(pk=applicant.user.pk)
    url = f"/api/v1/applications/{draft.case_number}/submit/"

    responses = click_twice_at_once(user, url, ("same-click", "same-click"))

    assert [r.status_code for r in responses] == [200, 200]
    assert responses[0].json() == responses[1].json()
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 1
    draft.refresh_from_db()
    assert draft.state == ApplicationState.SUBMITTED and draft.version == 2
    assert draft.transitions.filter(transition="submit").count() == 1
    assert draft.notifications.count() == 1
    assert IdempotencyKey.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_with_two_keys_file_once_and_the_second_is_a_conflict(draft, applicant):
    user = type(applicant.user).objects.get(pk=applicant.user.pk)
    url = f"/api/v1/applications/{draft.case_number}/submit/"

    responses = click_twice_at_once(user, url, ("click-1", "click-2"))

    assert sorted(r.status_code for r in responses) == [200, 409]
    draft.refresh_from_db()
    assert draft.transitions.filter(transition="submit").count() == 1
    assert IdempotencyKey.objects.filter(user=user).count() == 1  # the refused click kept no key


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_concurrent_create_draft_calls_make_one_draft(applicant):
    """The partial unique index decides: one 201, four 409s naming the draft to carry on with."""
    from applications.models import Application
    from tests.applications.factories import GRADUATE_FACTS

    user = type(applicant.user).objects.get(pk=applicant.user.pk)
    barrier = threading.Barrier(5)
    responses = []

    def create():
        client = APIClient()
        client.force_login(user)
        try:
            barrier.wait()
            responses.append(client.post("/api/v1/applications/", {
                "route": "kq.graduate", "jurisdiction": "sx.kq", "facts": GRADUATE_FACTS}, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]
    draft = Application.objects.get(applicant=applicant)
    assert {r.json()["case_number"] for r in responses} == {draft.case_number}
    assert all("只能有一份草稿" in r.json()["detail"] for r in responses if r.status_code == 409)
