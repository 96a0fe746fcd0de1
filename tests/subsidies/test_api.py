"""The small subsidies API: clerks record and revoke dated facts, staff read entitlements and a run's
progress; every endpoint checks the role, the jurisdiction and the input, and masks ID numbers."""

from datetime import date

import pytest

from subsidies.models import AuditEntry, Entitlement, FactEvent
from tests.applications.factories import ApplicantFactory
from tests.subsidies.factories import LOCAL_STUDENT, pay, record, settle

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.subsidies.urls")]

FACTS = "/api/v1/subsidies/facts/"


@pytest.fixture
def student():
    return settle(route="kq.local_student", facts=LOCAL_STUDENT).application.applicant


def test_a_clerk_records_a_fact_and_the_stipend_starts(client, clerk, student):
    client.force_login(clerk)

    response = client.post(FACTS, {"id_number": student.id_number, "kind": "graduated", "occurred_on": "2026-06-20"},
                           content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "graduated" and body["source"] == "api" and body["recorded_by"] == clerk.username
    assert body["settler"] == student.id_number_masked and student.id_number not in response.content.decode()
    assert Entitlement.objects.get(applicant=student, program__code="kq.stipend").starts_on == date(2026, 6, 20)


@pytest.mark.parametrize("payload, field", [
    ({"kind": "graduated", "occurred_on": "2026-02-30"}, "occurred_on"),
    ({"kind": "married", "occurred_on": "2026-06-20"}, "kind"),
    ({"kind": "graduated", "occurred_on": "2099-06-20"}, "occurred_on"),
    ({"kind": "hukou_moved_out", "occurred_on": "2026-01-05"}, "occurred_on"),  # before the settlement
    ({"kind": "employed", "occurred_on": "2026-06-20", "employer_uscc": "123"}, "employer_uscc"),
    ({"kind": "graduated", "occurred_on": "2026-06-20", "id_number": "110101199003074514"}, "id_number"),
])
def test_bad_input_is_a_400_naming_the_field_and_records_nothing(client, clerk, student, payload, field):
    client.force_login(clerk)

    response = client.post(FACTS, {"id_number": student.id_number, **payload}, content_type="application/json")

    assert response.status_code == 400 and field in response.json(), response.content
    assert not FactEvent.objects.exists()


def test_the_same_fact_twice_on_one_day_is_refused(client, clerk, student):
    client.force_login(clerk)
    payload = {"id_number": student.id_number, "kind": "graduated", "occurred_on": "2026-06-20"}

    assert client.post(FACTS, payload, content_type="application/json").status_code == 201
    assert client.post(FACTS, payload, content_type="application/json").status_code == 400
    assert FactEvent.objects.count() == 1


def test_a_fact_is_revoked_with_a_reason(client, clerk, student):
    event = record(student, "graduated", date(2026, 6, 20))
    client.force_login(clerk)
    url = f"{FACTS}{event.pk}/revoke/"

    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "录错了日期"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["revoked"] is True
    assert client.post(url, {"reason": "again"}, content_type="application/json").status_code == 400
    assert AuditEntry.objects.filter(action="fact_revoke", actor=clerk).count() == 1


@pytest.mark.parametrize("role, read, write", [
    ("clerk", 200, 201), ("registrar", 200, 201), ("finance", 200, 201),
    ("auditor", 200, 403), ("leader", 200, 403), ("finance_approver", 200, 403),
    ("approver", 403, 403), ("policy_admin", 403, 403),
])
def test_the_permission_matrix(client, staff, student, role, read, write):
    client.force_login(staff(role))

    assert client.get(FACTS).status_code == read
    assert client.get("/api/v1/subsidies/entitlements/").status_code == read
    response = client.post(FACTS, {"id_number": student.id_number, "kind": "graduated", "occurred_on": "2026-06-20"},
                           content_type="application/json")
    assert response.status_code == write


def test_applicants_and_anonymous_callers_are_refused(client, student):
    assert client.get(FACTS).status_code == 403
    client.force_login(ApplicantFactory().user)
    assert client.get("/api/v1/subsidies/entitlements/").status_code == 403


def test_a_clerk_sees_only_the_settlers_of_their_jurisdictions(client, staff, student):
    record(student, "graduated", date(2026, 6, 20))
    client.force_login(staff("clerk", jurisdiction="jx"))

    assert client.get(FACTS).json()["count"] == 0
    assert client.get("/api/v1/subsidies/entitlements/").json()["count"] == 0
    response = client.post(FACTS, {"id_number": student.id_number, "kind": "employed", "occurred_on": "2026-07-01"},
                           content_type="application/json")
    assert response.status_code == 400 and "id_number" in response.json()


def test_entitlements_show_what_has_been_paid_and_a_run_shows_its_progress(client, staff, student):
    record(student, "graduated", date(2026, 6, 20))
    run = pay("kq.stipend", "2026-06")
    client.force_login(staff("auditor"))

    rows = client.post("/api/v1/subsidies/entitlements/search/", {"id_number": student.id_number},
                       content_type="application/json").json()["results"]
    stipend = next(row for row in rows if row["program"] == "kq.stipend")
    assert (stipend["paid_periods"], stipend["paid_fen"], stipend["amount_fen"]) == (1, 50_000, 50_000)
    progress = client.get(f"/api/v1/subsidies/runs/{run.pk}/").json()
    assert (progress["status"], progress["percent"], progress["inserted"]) == ("completed", 100, 1)


@pytest.mark.parametrize("role", ["auditor", "finance", "leader", "finance_approver", "clerk"])
def test_every_role_of_keqiao_is_blind_to_a_hangzhou_settler(client, staff, role):
    """Issue 8, hole 3: an auditor (or finance officer, or leader) of sx.kq read Hangzhou facts by ID number."""
    from subsidies.models import FactEvent
    from tests.subsidies.factories import registered_case

    hangzhou = registered_case(route="hz.college_graduate", jurisdiction="hz.city").application.applicant
    FactEvent.objects.create(applicant=hangzhou, kind="employed", occurred_on=date(2026, 4, 1), source="admin")
    client.force_login(staff(role, jurisdiction="sx.kq"))

    def search(path):
        return client.post(path + "search/", {"id_number": hangzhou.id_number}, content_type="application/json")

    assert search(FACTS).json()["count"] == 0
    assert search("/api/v1/subsidies/entitlements/").json()["count"] == 0
    client.force_login(staff(role, jurisdiction="hz"))
    assert search(FACTS).json()["count"] == 1


def test_a_search_by_id_number_goes_in_the_body_never_in_the_url(client, staff, student):
    record(student, "graduated", date(2026, 6, 20))
    client.force_login(staff("auditor"))
    for path in ("/api/v1/subsidies/facts/", "/api/v1/subsidies/entitlements/"):
        in_url = client.get(path, {"id_number": student.id_number})
        assert in_url.status_code == 400 and "不能放在网址中" in in_url.json()["id_number"][0]
        found = client.post(path + "search/", {"id_number": student.id_number.lower()},
                            content_type="application/json")
        assert found.status_code == 200 and found.json()["count"] >= 1
        assert {row["settler"] for row in found.json()["results"]} == {student.id_number_masked}
        assert client.post(path + "search/", {}, content_type="application/json").status_code == 400


def test_the_schema_documents_the_searches_as_post_with_a_body():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/v1/subsidies/facts/", "/api/v1/subsidies/entitlements/"):
        assert not any(p["name"] == "id_number" for p in schema["paths"][path]["get"].get("parameters", []))
        search = schema["paths"][path + "search/"]["post"]
        assert set(search["responses"]) >= {"200", "400"} and "requestBody" in search
