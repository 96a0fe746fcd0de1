"""The applicant's side of a case, through the REST API; the clerks act through the services.

    POST /api/v1/applicant/                               register my profile
    POST /api/v1/applications/                            open a draft
    POST /api/v1/applications/{no}/family-members/        add a relative who follows
    POST /api/v1/applications/{no}/materials/             upload a checklist item (multipart)
    POST /api/v1/applications/{no}/submit/                file (Idempotency-Key: a double click files once)
    POST /api/v1/applications/{no}/resubmit/              answer the one correction notice
    POST /api/v1/applications/{no}/withdraw/              withdraw
    GET  /api/v1/applications/{no}/, …/timeline/          follow the case
    GET  /api/v1/notifications/                           what I was told
"""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.models import (
    Application,
    ApplicationState,
    ApplicationTransition,
    IdempotencyKey,
    Material,
    Notification,
)
from applications.selectors import registration_address_options
from applications.services.transitions import (
    application_accept,
    application_approve,
    application_not_accept,
    application_refuse,
    application_register,
    application_request_correction,
    application_start_review,
    material_review,
)
from tests.applications.factories import GRADUATE_FACTS, PDF_BYTES, UserFactory, id_number

pytestmark = pytest.mark.django_db

S = ApplicationState
API = "/api/v1"


def client_for(user) -> APIClient:
    """A session-authenticated client. The user is re-read first: UserFactory sets the password on the
    instance without saving it, and a session hash from that instance would not match the database."""
    client = APIClient()
    if user is not None:
        client.force_login(type(user).objects.get(pk=user.pk))
    return client


def case_url(case_number: str, action: str = "") -> str:
    return f"{API}/applications/{case_number}/{action + '/' if action else ''}"


def upload(client, case_number: str, code: str, name: str = "scan.pdf", content: bytes = PDF_BYTES):
    return client.post(
        case_url(case_number, "materials"),
        {"checklist_code": code, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def file_a_draft(client) -> dict:
    """Open a Keqiao graduate draft and upload every required material, all through the API."""
    created = client.post(
        f"{API}/applications/", {"route": "kq.graduate", "jurisdiction": "sx.kq", "facts": GRADUATE_FACTS},
        format="json",
    )
    assert created.status_code == 201, created.json()
    case = created.json()
    for item in case["material_checklist"]:
        if item["required"]:
            assert upload(client, case["case_number"], item["code"]).status_code == 201
    return case


def submit(client, case_number: str, key: str | None = None, **body):
    return client.post(
        case_url(case_number, "submit"), body, format="json", HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def applicant_client(applicant):
    return client_for(applicant.user)


def test_the_whole_life_of_a_case_seen_by_its_applicant(staff_factory):
    clerk, approver, registrar = staff_factory("clerk"), staff_factory("approver"), staff_factory("registrar")
    user = UserFactory()
    client = client_for(user)

    # 1. profile: the ID number is checked and never shown in full again
    number = id_number()
    profile = client.post(f"{API}/applicant/", {"real_name": "王小明", "id_number": number, "phone": "13912345678"},
                          format="json")
    assert profile.status_code == 201, profile.json()
    assert profile.json()["id_number_masked"] == f"{number[:6]}********{number[-4:]}"
    assert number not in profile.content.decode()
    assert client.get(f"{API}/applicant/").json()["phone_masked"] == "139****5678"

    # 2. draft, a spouse who follows, every required material
    case = file_a_draft(client)
    number_ = case["case_number"]
    assert case["state"] == S.DRAFT and case["route"]["code"] == "kq.graduate"
    assert case["route_snapshot"] is None and case["due_date"] is None and case["working_days_left"] is None
    spouse_id = id_number()
    spouse = client.post(case_url(number_, "family-members"),
                         {"relation": "spouse", "real_name": "李华", "id_number": spouse_id}, format="json")
    assert spouse.status_code == 201, spouse.json()
    assert spouse.json()["id_number_masked"] != spouse_id and spouse_id not in spouse.content.decode()

    # 3. a double click on 提交: one filing, one transition, one message, the same answer twice
    key = str(uuid.uuid4())
    first = submit(client, number_, key)
    second = submit(client, number_, key)
    assert first.status_code == second.status_code == 200, first.json()
    assert first.json() == second.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    filed = first.json()
    assert filed["state"] == S.SUBMITTED and filed["version"] == 2
    assert filed["route_snapshot"]["citation"] == "绍柯政办发〔2020〕1号 二(一)1"
    assert filed["eligibility"]["eligible"] is True
    assert filed["due_date"] and isinstance(filed["working_days_left"], int) and filed["working_days_left"] >= 0
    application = Application.objects.get(case_number=number_)
    assert application.transitions.filter(transition="submit").count() == 1
    assert Notification.objects.filter(application=application, subject__contains="已提交").count() == 1
    assert IdempotencyKey.objects.filter(user=user, key=key).count() == 1

    # 4. the clerk accepts, rejects the diploma, and asks for everything in one notice
    application_accept(application_id=application.pk, actor=clerk, expected_version=filed["version"])
    diploma = application.materials.get(checklist_code="diploma")
    material_review(material_id=diploma.pk, actor=clerk, accepted=False, reason="学历证书不清晰")
    application_request_correction(application_id=application.pk, actor=clerk)

    detail = client.get(case_url(number_)).json()
    assert detail["state"] == S.CORRECTION_REQUESTED and detail["working_days_left"] is None
    assert [(item["code"], item["reason"]) for item in detail["correction"]["items"]] == [("diploma", "学历证书不清晰")]
    rejected = next(m for m in detail["materials"] if m["checklist_code"] == "diploma")
    assert rejected["review"] == "rejected" and rejected["review_reason"] == "学历证书不清晰"
    assert "file" not in rejected and "private" not in str(detail)

    # 5. resubmitting before re-uploading names what is missing; after it, the case goes back to the clerk
    early = client.post(case_url(number_, "resubmit"), {}, format="json")
    assert early.status_code == 400 and early.json()["materials"] and early.json()["details"]
    assert upload(client, number_, "diploma", "diploma-clear.pdf").status_code == 201
    resubmitted = client.post(case_url(number_, "resubmit"), {"expected_version": detail["version"]}, format="json")
    assert resubmitted.status_code == 200, resubmitted.json()
    assert resubmitted.json()["state"] == S.RESUBMITTED and resubmitted.json()["correction"] is None

    # 6. approval and registration, by the staff through the services
    application_accept(application_id=application.pk, actor=clerk)
    application_start_review(application_id=application.pk, actor=clerk)
    application_approve(application_id=application.pk, actor=approver, reason="符合条件")
    application.refresh_from_db()
    address_type = registration_address_options(application)[0][0]
    application_register(application_id=application.pk, actor=registrar, address_type=address_type,
                         address="柯桥区某公司集体户")

    # 7. the applicant's timeline shows every step, in order, with the correction's reason
    timeline = client.get(case_url(number_, "timeline"))
    assert timeline.status_code == 200
    steps = timeline.json()
    assert [(step["from"], step["to"]) for step in steps] == [
        (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.CORRECTION_REQUESTED),
        (S.CORRECTION_REQUESTED, S.RESUBMITTED), (S.RESUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.APPROVED), (S.APPROVED, S.REGISTERED),
    ]
    assert "学历证书不清晰" in steps[2]["reason"]
    assert all(step["at"] and step["by"] for step in steps)
    final = client.get(case_url(number_)).json()
    assert final["state"] == S.REGISTERED and final["working_days_left"] is None
    assert final["registration"]["address"] == "柯桥区某公司集体户"
    assert final["timeline"] == steps
    assert [m["relation"] for m in final["family_members"]] == ["spouse"]

    # 8. every message reached the in-app list, newest first, and can be marked read
    inbox = client.get(f"{API}/notifications/").json()
    subjects = [n["subject"] for n in inbox["results"]]
    assert inbox["count"] == 6 and "落户登记" in subjects[0]
    assert any("一次性告知" in s for s in subjects) and any("已受理" in s for s in subjects)
    assert all(n["case_number"] == number_ and n["read"] is False for n in inbox["results"])
    read = client.post(f"{API}/notifications/{inbox['results'][0]['id']}/read/")
    assert read.status_code == 200 and read.json()["read"] is True and read.json()["read_at"]


def test_not_accepted_names_the_clause_and_condition_and_closes_the_case(applicant_client, clerk):
    case = file_a_draft(applicant_client)
    number = case["case_number"]
    assert submit(applicant_client, number).status_code == 200
    application = Application.objects.get(case_number=number)
    condition = "大专及以上学历（全日制或国民教育同等学历）或留学回国人员"

    application_not_accept(application_id=application.pk, actor=clerk, reason="学历材料与学信网不符",
                           condition=condition)

    detail = applicant_client.get(case_url(number)).json()
    assert detail["state"] == S.NOT_ACCEPTED
    assert detail["decision_condition"] == condition and detail["decision_reason"] == "学历材料与学信网不符"
    last = detail["timeline"][-1]
    assert last["to"] == S.NOT_ACCEPTED and last["reason"].startswith("绍柯政办发〔2020〕1号 二(一)1：大专及以上学历")
    withdraw = applicant_client.post(case_url(number, "withdraw"), {"reason": "算了"}, format="json")
    assert withdraw.status_code == 409 and "不能执行此操作" in withdraw.json()["detail"]
    assert Application.objects.get(pk=application.pk).state == S.NOT_ACCEPTED


def test_refused_is_shown_with_its_reason(applicant_client, clerk, staff_factory):
    approver = staff_factory("approver")
    number = file_a_draft(applicant_client)["case_number"]
    submit(applicant_client, number)
    application = Application.objects.get(case_number=number)
    application_accept(application_id=application.pk, actor=clerk)
    application_start_review(application_id=application.pk, actor=clerk)

    application_refuse(application_id=application.pk, actor=approver, reason="劳动合同系伪造")

    detail = applicant_client.get(case_url(number)).json()
    assert detail["state"] == S.REFUSED and detail["decision_reason"] == "劳动合同系伪造"
    assert [step["to"] for step in detail["timeline"]] == [S.SUBMITTED, S.ACCEPTED, S.UNDER_REVIEW, S.REFUSED]
    assert "劳动合同系伪造" in detail["timeline"][-1]["reason"]
    inbox = applicant_client.get(f"{API}/notifications/").json()
    assert "不予批准" in inbox["results"][0]["subject"]


def test_the_applicant_withdraws_with_a_reason_once(applicant_client):
    number = file_a_draft(applicant_client)["case_number"]
    filed = submit(applicant_client, number).json()

    stale = applicant_client.post(case_url(number, "withdraw"), {"reason": "x", "expected_version": 1},
                                  format="json")
    assert stale.status_code == 409 and stale.json()["detail"]
    assert Application.objects.get(case_number=number).state == S.SUBMITTED

    withdrawn = applicant_client.post(case_url(number, "withdraw"),
                                      {"reason": "已在别处落户", "expected_version": filed["version"]}, format="json")
    assert withdrawn.status_code == 200, withdrawn.json()
    assert withdrawn.json()["state"] == S.WITHDRAWN
    step = withdrawn.json()["timeline"][-1]
    assert (step["from"], step["to"], step["reason"]) == (S.SUBMITTED, S.WITHDRAWN, "已在别处落户")
    again = applicant_client.post(case_url(number, "withdraw"), {"reason": "再撤一次"}, format="json")
    assert again.status_code == 409
    assert ApplicationTransition.objects.filter(application__case_number=number, transition="withdraw").count() == 1


def test_a_draft_can_be_withdrawn_too(applicant_client):
    number = file_a_draft(applicant_client)["case_number"]
    response = applicant_client.post(case_url(number, "withdraw"), {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == S.WITHDRAWN


# --- Idempotency-Key ---------------------------------------------------------------------------


def test_the_same_key_with_another_body_is_refused_with_422(applicant_client):
    number = file_a_draft(applicant_client)["case_number"]
    key = uuid.uuid4().hex
    assert submit(applicant_client, number, key).status_code == 200

    other = submit(applicant_client, number, key, expected_version=1)

    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert Application.objects.get(case_number=number).transitions.count() == 1


def test_the_same_key_for_another_case_is_refused_with_422(applicant_client):
    first = file_a_draft(applicant_client)["case_number"]
    key = uuid.uuid4().hex
    assert submit(applicant_client, first, key).status_code == 200
    second = file_a_draft(applicant_client)["case_number"]  # one draft per route: the next after filing

    assert submit(applicant_client, second, key).status_code == 422
    assert Application.objects.get(case_number=second).state == S.DRAFT


def test_a_failed_attempt_keeps_no_key_so_the_retry_runs(applicant_client):
    case = file_a_draft(applicant_client)
    number = case["case_number"]
    Material.objects.filter(application__case_number=number, checklist_code="diploma").delete()
    key = uuid.uuid4().hex

    refused = submit(applicant_client, number, key)
    assert refused.status_code == 400 and "毕业证书" in refused.json()["materials"][0]
    assert not IdempotencyKey.objects.filter(key=key).exists()

    assert upload(applicant_client, number, "diploma").status_code == 201
    retried = submit(applicant_client, number, key)
    assert retried.status_code == 200 and retried.json()["state"] == S.SUBMITTED
    assert "Idempotent-Replayed" not in retried.headers


def test_keys_belong_to_one_user(applicant_client, staff_factory):
    from tests.applications.factories import ApplicantFactory

    other = client_for(ApplicantFactory().user)
    mine = file_a_draft(applicant_client)["case_number"]
    theirs = file_a_draft(other)["case_number"]
    key = "shared-key"

    assert submit(applicant_client, mine, key).status_code == 200
    assert submit(other, theirs, key).status_code == 200
    assert IdempotencyKey.objects.filter(key=key).count() == 2


def test_submit_without_a_key_is_refused_and_names_the_header(applicant_client):
    number = file_a_draft(applicant_client)["case_number"]

    response = applicant_client.post(case_url(number, "submit"), {}, format="json")

    assert response.status_code == 400 and response.json()["Idempotency-Key"]
    assert Application.objects.get(case_number=number).state == S.DRAFT


def test_a_replayed_resubmit_answers_the_correction_once(applicant_client, clerk):
    number = file_a_draft(applicant_client)["case_number"]
    submit(applicant_client, number)
    application = Application.objects.get(case_number=number)
    application_accept(application_id=application.pk, actor=clerk)
    material_review(material_id=application.materials.get(checklist_code="id_card").pk, actor=clerk,
                    accepted=False, reason="已过期")
    application_request_correction(application_id=application.pk, actor=clerk)
    upload(applicant_client, number, "id_card", "new-id.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)

    key = uuid.uuid4().hex
    responses = [applicant_client.post(case_url(number, "resubmit"), {}, format="json", HTTP_IDEMPOTENCY_KEY=key)
                 for _ in range(2)]

    assert [r.status_code for r in responses] == [200, 200]
    assert application.transitions.filter(transition="resubmit").count() == 1


# --- files -------------------------------------------------------------------------------------


def test_a_material_is_downloaded_as_an_attachment_only_by_who_may_see_it(applicant_client, staff_factory):
    from tests.applications.factories import ApplicantFactory

    number = file_a_draft(applicant_client)["case_number"]
    material = applicant_client.get(case_url(number)).json()["materials"][0]

    response = applicant_client.get(material["download_url"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "scan.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert client_for(ApplicantFactory().user).get(material["download_url"]).status_code == 404
    assert client_for(staff_factory("clerk", "jx")).get(material["download_url"]).status_code == 404
    assert client_for(staff_factory("clerk")).get(material["download_url"]).status_code == 200


def test_the_stored_name_is_never_the_download_name_path(applicant_client):
    number = file_a_draft(applicant_client)["case_number"]
    upload(applicant_client, number, "id_card", "../../etc/passwd.pdf")
    material = next(m for m in applicant_client.get(case_url(number)).json()["materials"]
                    if m["original_name"].endswith("passwd.pdf"))

    response = applicant_client.get(material["download_url"], HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert 'filename="passwd.pdf"' in response["Content-Disposition"]


def test_a_chinese_file_name_survives_the_download(applicant_client):
    number = file_a_draft(applicant_client)["case_number"]
    upload(applicant_client, number, "diploma", "毕业证书.pdf")
    material = next(m for m in applicant_client.get(case_url(number)).json()["materials"]
                    if m["original_name"] == "毕业证书.pdf")

    response = applicant_client.get(material["download_url"])

    assert "filename*=utf-8''%E6%AF%95%E4%B8%9A%E8%AF%81%E4%B9%A6.pdf" in response["Content-Disposition"]


# --- the schema --------------------------------------------------------------------------------


def test_every_endpoint_is_in_the_openapi_schema_with_its_shapes(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    expected = {
        ("/api/v1/applicant/", "get"), ("/api/v1/applicant/", "post"),
        ("/api/v1/applications/", "get"), ("/api/v1/applications/", "post"),
        ("/api/v1/applications/{case_number}/", "get"),
        ("/api/v1/applications/{case_number}/family-members/", "post"),
        ("/api/v1/applications/{case_number}/materials/", "post"),
        ("/api/v1/applications/{case_number}/submit/", "post"),
        ("/api/v1/applications/{case_number}/resubmit/", "post"),
        ("/api/v1/applications/{case_number}/withdraw/", "post"),
        ("/api/v1/applications/{case_number}/timeline/", "get"),
        ("/api/v1/materials/{material_id}/file/", "get"),
        ("/api/v1/notifications/", "get"),
        ("/api/v1/notifications/{notification_id}/read/", "post"),
    }
    present = {(path, method) for path, item in paths.items() for method in item if method != "parameters"}
    assert expected <= present
    for path, method in expected:
        operation = paths[path][method]
        assert operation["summary"], (path, method)
        assert any(code.startswith("2") and operation["responses"][code].get("content")
                   for code in operation["responses"]), (path, method)
        assert "403" in operation["responses"], (path, method)
        if method == "post" and not path.endswith("/read/"):
            assert "requestBody" in operation and "400" in operation["responses"], (path, method)
    submit_op = paths["/api/v1/applications/{case_number}/submit/"]["post"]
    header = next(p for p in submit_op["parameters"] if p["in"] == "header")
    assert header["name"] == "Idempotency-Key" and header["required"] is True
    assert {"409", "422"} <= set(submit_op["responses"])
    upload_op = paths["/api/v1/applications/{case_number}/materials/"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    listing = paths["/api/v1/applications/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing["$ref"].endswith("PaginatedApplicationListList")
    detail = schema["components"]["schemas"]["ApplicationDetail"]["properties"]
    assert {"state", "due_date", "working_days_left", "route_snapshot", "eligibility", "family_members",
            "materials", "correction", "timeline"} <= set(detail)
    material = schema["components"]["schemas"]["Material"]["properties"]
    assert "file" not in material and "download_url" in material
