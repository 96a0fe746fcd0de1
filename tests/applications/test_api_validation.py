"""Bad input anywhere in the applicant API: HTTP 400 naming the field to fix (in Chinese), and nothing
changes — no row, no file, no transition, no idempotency key, the case's version as it was.

    400 {"<field>": ["说明"], "details": [...]}      a rule of the services (ApplicationError)
    400 {"<field>": ["说明"]}                         the form of the input (DRF serializer)
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.models import (
    Applicant,
    Application,
    ApplicationTransition,
    FamilyMember,
    IdempotencyKey,
    Material,
    Notification,
)
from tests.applications.factories import GRADUATE_FACTS, PDF_BYTES, ApplicantFactory, UserFactory, id_number

pytestmark = pytest.mark.django_db

API = "/api/v1"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(type(user).objects.get(pk=user.pk))
    return client


def state_of_the_world(case: Application, media_root) -> dict:
    case = Application.objects.get(pk=case.pk)
    return {
        "case": (case.state, case.version, case.facts, case.due_date),
        "rows": [model.objects.count() for model in (Applicant, Application, FamilyMember, Material,
                                                      ApplicationTransition, IdempotencyKey, Notification)],
        "files": sorted(str(p) for p in Path(media_root).rglob("*") if p.is_file()),
    }


def with_checklist_item(code: str, content: bytes, name: str = "scan.pdf") -> dict:
    return {"checklist_code": code, "file": SimpleUploadedFile(name, content)}


def without(facts: dict, key: str) -> dict:
    return {k: v for k, v in facts.items() if k != key}


def valid_person() -> dict:
    return {"real_name": "王五", "id_number": id_number(), "phone": "13800001111"}


WRONG_CHECK_DIGIT = "330621199505010000"

# (what, path under the case or absolute, body, multipart, the field named)
CASES = [
    ("create: unknown route", "/applications/", {"route": "kq.nothing", "jurisdiction": "sx.kq",
                                                  "facts": GRADUATE_FACTS}, False, "route"),
    ("create: route not in force there", "/applications/", {"route": "hz.points", "jurisdiction": "sx.kq",
                                                             "facts": GRADUATE_FACTS}, False, "route"),
    ("create: unknown jurisdiction", "/applications/", {"route": "kq.graduate", "jurisdiction": "xx.yy",
                                                         "facts": GRADUATE_FACTS}, False, "jurisdiction"),
    ("create: route missing", "/applications/", {"jurisdiction": "sx.kq", "facts": GRADUATE_FACTS}, False, "route"),
    ("create: facts not an object", "/applications/", {"route": "kq.graduate", "jurisdiction": "sx.kq",
                                                        "facts": [1, 2]}, False, "facts"),
    ("create: facts break the schema", "/applications/",
     {"route": "kq.graduate", "jurisdiction": "sx.kq", "facts": {**GRADUATE_FACTS, "birth_date": "1998-13-45"}},
     False, "facts.birth_date"),
    ("family: relation the route does not allow", "family-members",
     {"relation": "minor_child", "real_name": "王六", "id_number": id_number()}, False, "relation"),
    ("family: wrong check digit", "family-members",
     {"relation": "spouse", "real_name": "王六", "id_number": WRONG_CHECK_DIGIT}, False, "id_number"),
    ("family: the applicant themself", "family-members", "SELF", False, "id_number"),
    ("family: no name", "family-members", {"relation": "spouse", "real_name": "  ", "id_number": id_number()},
     False, "real_name"),
    ("material: not on the checklist", "materials", lambda: with_checklist_item("selfie", PDF_BYTES), True,
     "checklist_code"),
    ("material: an executable named .pdf", "materials",
     lambda: with_checklist_item("id_card", b"MZ\x90\x00not a pdf", "evil.pdf"), True, "file"),
    ("material: too large", "materials", lambda: with_checklist_item("id_card", PDF_BYTES + b"0" * 4096), True,
     "file"),
    ("material: empty file", "materials", lambda: with_checklist_item("id_card", b""), True, "file"),
    ("material: no file", "materials", {"checklist_code": "id_card"}, True, "file"),
    ("submit: version not a number", "submit", {"expected_version": "abc"}, False, "expected_version"),
    ("submit: version below 1", "submit", {"expected_version": 0}, False, "expected_version"),
    ("submit: required material missing", "submit", "NO_DIPLOMA", False, "materials"),
    ("submit: no longer eligible", "submit", "INELIGIBLE", False, "route"),
    ("submit: bad Idempotency-Key", "submit", "BAD_KEY", False, "Idempotency-Key"),
    ("resubmit: version not a number", "resubmit", {"expected_version": [1]}, False, "expected_version"),
    ("withdraw: reason too long", "withdraw", {"reason": "长" * 501}, False, "reason"),
]


@pytest.mark.parametrize(("what", "path", "body", "multipart", "field"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    what, path, body, multipart, field, applicant, draft, settings
):
    settings.MATERIAL_MAX_BYTES = 1024
    client = client_for(applicant.user)
    headers = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}
    if body == "SELF":
        body = {"relation": "spouse", "real_name": "本人", "id_number": applicant.id_number}
    elif body == "NO_DIPLOMA":
        draft.materials.filter(checklist_code="diploma").delete()
        body = {}
    elif body == "INELIGIBLE":
        Application.objects.filter(pk=draft.pk).update(facts={**GRADUATE_FACTS, "hukou": {"in_target_city": True}})
        body = {}
    elif body == "BAD_KEY":
        headers = {"HTTP_IDEMPOTENCY_KEY": "k" * 300}
        body = {}
    elif callable(body):
        body = body()
    url = f"{API}{path}" if path.startswith("/") else f"{API}/applications/{draft.case_number}/{path}/"
    before = state_of_the_world(draft, settings.MEDIA_ROOT)

    response = client.post(url, body, format="multipart" if multipart else "json", **headers)

    assert response.status_code == 400, response.json()
    errors = response.json()
    assert field in errors, errors
    assert isinstance(errors[field], list) and CHINESE.search(errors[field][0]), errors
    assert state_of_the_world(draft, settings.MEDIA_ROOT) == before


def test_a_failing_condition_is_listed_in_details(applicant, draft):
    Application.objects.filter(pk=draft.pk).update(facts={**GRADUATE_FACTS, "hukou": {"in_target_city": True}})

    response = client_for(applicant.user).post(f"{API}/applications/{draft.case_number}/submit/", {},
                                               format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 400
    assert response.json()["details"] == ["户口在绍兴市外"]
    assert "户口在绍兴市外" in response.json()["route"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"real_name": "王五", "id_number": WRONG_CHECK_DIGIT, "phone": "13800001111"}, "id_number"),
        ({"real_name": "王五", "id_number": "33062119950501", "phone": "13800001111"}, "id_number"),
        ({"real_name": "王五", "id_number": "x" * 19, "phone": "13800001111"}, "id_number"),
        ({"real_name": "王五", "id_number": "TAKEN", "phone": "13800001111"}, "id_number"),
        ({"real_name": "", "id_number": "FRESH", "phone": "13800001111"}, "real_name"),
        ({"real_name": "  ", "id_number": "FRESH", "phone": "13800001111"}, "real_name"),
        ({"real_name": "王五", "id_number": "FRESH", "phone": "1380000"}, "phone"),
        ({"real_name": "王五", "id_number": "FRESH", "phone": "23800001111"}, "phone"),
        ({"real_name": "王五", "id_number": "FRESH"}, "phone"),
    ],
)
def test_registering_a_profile_checks_every_field(body, field, applicant):
    user = UserFactory()
    body = {**body}
    if body.get("id_number") == "TAKEN":
        body["id_number"] = applicant.id_number
    elif body.get("id_number") == "FRESH":
        body["id_number"] = id_number()
    before = Applicant.objects.count()

    response = client_for(user).post(f"{API}/applicant/", body, format="json")

    assert response.status_code == 400 and field in response.json(), response.json()
    assert Applicant.objects.count() == before and not hasattr(type(user).objects.get(pk=user.pk), "applicant")


def test_a_profile_is_registered_once_with_a_normalised_id_number():
    user = UserFactory()
    client = client_for(user)
    number = id_number()
    lower = number[:-1] + number[-1].lower()

    created = client.post(f"{API}/applicant/", {**valid_person(), "id_number": lower}, format="json")
    again = client.post(f"{API}/applicant/", valid_person(), format="json")

    assert created.status_code == 201
    assert Applicant.objects.get(user=user).id_number == number.upper()
    assert again.status_code == 400 and again.json()["applicant"]
    assert Applicant.objects.filter(user=user).count() == 1


def test_a_registered_applicant_joins_the_applicant_group(staff_factory):
    staff_factory("clerk")  # syncs the role groups
    user = UserFactory()

    assert client_for(user).post(f"{API}/applicant/", valid_person(), format="json").status_code == 201
    assert list(user.groups.values_list("name", flat=True)) == ["申请人"]


def test_an_unknown_state_filter_is_named(applicant):
    response = client_for(applicant.user).get(f"{API}/applications/?state=lost")
    assert response.status_code == 400 and "state" in response.json()


def test_a_material_cannot_be_added_once_filed_and_nothing_is_stored(applicant, draft, settings):
    client = client_for(applicant.user)
    client.post(f"{API}/applications/{draft.case_number}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    before = state_of_the_world(draft, settings.MEDIA_ROOT)

    response = client.post(f"{API}/applications/{draft.case_number}/materials/",
                           with_checklist_item("id_card", PDF_BYTES), format="multipart")

    assert response.status_code == 400 and response.json()["state"]
    assert state_of_the_world(draft, settings.MEDIA_ROOT) == before


def test_a_relative_cannot_be_added_twice(applicant, draft):
    client = client_for(applicant.user)
    body = {"relation": "spouse", "real_name": "李四", "id_number": id_number()}

    assert client.post(f"{API}/applications/{draft.case_number}/family-members/", body, format="json").status_code \
        == 201
    again = client.post(f"{API}/applications/{draft.case_number}/family-members/", body, format="json")

    assert again.status_code == 400 and "已添加" in again.json()["id_number"][0]
    assert draft.family_members.count() == 1


def test_unknown_cases_and_materials_are_404(applicant):
    client = client_for(applicant.user)
    assert client.get(f"{API}/applications/SXKQ-20260302-XXXXXX/").status_code == 404
    assert client.get(f"{API}/materials/999999/file/").status_code == 404
    assert client.post(f"{API}/notifications/999999/read/").status_code == 404


def test_another_applicants_case_number_reveals_nothing(draft):
    stranger = client_for(ApplicantFactory().user)
    unknown = stranger.get(f"{API}/applications/SXKQ-20260302-XXXXXX/")
    theirs = stranger.get(f"{API}/applications/{draft.case_number}/")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
