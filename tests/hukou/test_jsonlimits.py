"""Hostile JSON: a nesting bomb gets a clear 400 (or exit status 2), never a RecursionError, at every
JSON entrance — the public eligibility API, draft creation, and the ``eligibility`` command's stdin."""

import io
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from applications.models import Application
from hukou.jsonlimits import JsonInputError, json_depth, json_loads_bounded
from policies.admin import ReadableJSONField
from tests.applications.factories import ApplicantFactory

BOMB = '{"a":' * 5000 + "1" + "}" * 5000
ARRAY_BOMB = "[" * 100_000 + "]" * 100_000


def test_depth_counts_brackets_outside_strings_only():
    assert json_depth('{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth('"\\"[["') == 0
    assert json_depth("[]") == 1 and json_depth("3") == 0


def test_within_the_limit_parses_beyond_it_is_refused_by_name():
    assert json_loads_bounded('{"a": {"b": [1]}}', limit=3) == {"a": {"b": [1]}}
    with pytest.raises(JsonInputError, match="嵌套过深：最多 3 层"):
        json_loads_bounded('{"a": {"b": [[1]]}}', limit=3)
    with pytest.raises(JsonInputError, match="嵌套过深"):
        json_loads_bounded(ARRAY_BOMB)


@pytest.mark.django_db
@pytest.mark.parametrize("body", [BOMB, ARRAY_BOMB], ids=["objects", "arrays"])
def test_the_public_eligibility_api_answers_400(body):
    response = APIClient().generic("POST", "/api/v1/eligibility/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]


@pytest.mark.django_db
def test_draft_creation_answers_400_and_creates_nothing():
    client = APIClient()
    client.force_authenticate(ApplicantFactory().user)
    body = '{"route": "kq.graduate", "jurisdiction": "sx.kq", "facts": ' + BOMB + "}"
    response = client.generic("POST", "/api/v1/applications/", data=body, content_type="application/json")
    assert response.status_code == 400 and "嵌套过深" in response.json()["detail"]
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_the_eligibility_command_exits_2_naming_the_facts(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(BOMB))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("eligibility", "--jurisdiction", "sx.kq", "--date", "2024-03-01", stdout=io.StringIO(),
                     stderr=err)
    assert exit_.value.code == 2
    assert err.getvalue().startswith("error: facts: JSON 嵌套过深")


def test_the_policy_admin_refuses_a_nesting_bomb_beside_the_field():
    field = ReadableJSONField()
    with pytest.raises(ValidationError, match="嵌套过深"):
        field.clean(BOMB)
    assert field.clean('[{"label": "x", "rule": {"==": [1, 1]}}]') == [{"label": "x", "rule": {"==": [1, 1]}}]
