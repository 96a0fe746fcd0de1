"""The case's PDF documents: drawn by weasyprint, read back with pypdf, checked in Chinese."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.documents.render import DOCUMENT_KINDS, document_render, office_name
from applications.errors import ApplicationError
from applications.formatting import chinese_date
from applications.services.drafts import material_add
from applications.services.transitions import (
    application_accept,
    application_not_accept,
    application_refuse,
    application_request_correction,
    application_resubmit,
    application_start_review,
    application_submit,
    material_review,
)
from policies.models import Jurisdiction
from tests.applications.conftest import ON
from tests.applications.factories import ApplicantFactory, pdf

CITATION = "绍柯政办发〔2020〕1号 二(一)1"
OUTSIDE_SHAOXING = "户口在绍兴市外"
COLLEGE = "大专及以上学历（全日制或国民教育同等学历）或留学回国人员"


def pdf_text(content: bytes) -> str:
    """The text of every page, without the white space the extraction puts between glyphs."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def login(client, user) -> None:
    user.refresh_from_db()  # the factory sets the password without saving it: log in with the stored one
    client.force_login(user)


def refused_kinds(application, *kinds):
    for kind in kinds:
        with pytest.raises(ApplicationError) as error:
            document_render(application=application, kind=kind)
        assert error.value.field == "kind", kind


@pytest.fixture
def submitted(draft, applicant):
    return application_submit(application_id=draft.pk, actor=applicant.user, on=ON)


@pytest.fixture
def accepted(submitted, clerk):
    return application_accept(application_id=submitted.pk, actor=clerk)


def test_chinese_dates_and_office_names(db):
    assert chinese_date(date(2026, 3, 2)) == "2026年3月2日"
    assert chinese_date(date(2026, 11, 23)) == "2026年11月23日"
    # 20:00 UTC on 1 March is already 2 March in Shanghai
    assert chinese_date(datetime(2026, 3, 1, 20, 0, tzinfo=ZoneInfo("UTC"))) == "2026年3月2日"
    assert chinese_date(None) == ""
    assert office_name(Jurisdiction.objects.get(code="sx.kq")) == "绍兴市柯桥区"
    assert office_name(Jurisdiction.objects.get(code="hz.city")) == "杭州市区"
    assert office_name(Jurisdiction.objects.get(code="jx")) == "嘉兴市"


@pytest.mark.django_db
def test_no_document_before_the_case_is_submitted_and_accepted(draft, submitted):
    refused_kinds(draft, *DOCUMENT_KINDS)  # a draft has none
    refused_kinds(submitted, *DOCUMENT_KINDS)  # submitted, not yet accepted: no receipt either
    with pytest.raises(ApplicationError) as error:
        document_render(application=submitted, kind="approval")
    assert error.value.field == "kind"


@pytest.mark.django_db
def test_receipt_names_the_case_the_clause_and_the_promised_date(accepted, applicant):
    text = pdf_text(document_render(application=accepted, kind="receipt"))
    assert "受理回执" in text
    assert accepted.case_number in text
    assert squeeze(CITATION) in text
    assert "高校毕业生、同等学历及留学回国人员落户" in text
    assert f"张三（身份证号{applicant.id_number_masked}）" in text
    assert applicant.id_number not in text  # masked: birth date and sequence hidden
    assert "承诺办结日期2026年3月9日" in text  # 5 working days after Monday 2 March
    assert f"提交日期{chinese_date(accepted.submitted_at)}" in text
    assert "绍兴市柯桥区落户业务受理窗口" in text
    refused_kinds(accepted, "correction", "not_accepted", "refused")


@pytest.mark.django_db
def test_correction_notice_lists_every_item_with_its_reason(accepted, applicant, clerk):
    materials = {m.checklist_code: m for m in accepted.materials.all()}
    material_review(material_id=materials["diploma"].pk, actor=clerk, accepted=False, reason="学历证书不清晰")
    material_review(material_id=materials["id_card"].pk, actor=clerk, accepted=False, reason="缺少身份证反面")
    notice = application_request_correction(
        application_id=accepted.pk, actor=clerk,
        extra_items=[{"code": "hukou_booklet", "reason": "缺少户口簿本人页"}],
    )
    assert len(notice.items) == 3

    text = pdf_text(document_render(application=accepted, kind="correction"))
    assert "一次性告知书" in text
    assert accepted.case_number in text
    assert squeeze(CITATION) in text
    for expected in ("毕业证书（或学历认证报告）", "学历证书不清晰", "居民身份证", "缺少身份证反面",
                     "居民户口簿（户口迁出地）", "缺少户口簿本人页"):
        assert expected in text, expected
    assert "一次性补齐" in text and "不会再要求您补正其他材料" in text
    assert "承诺办结时限（5个工作日" in text and "自补正提交之日起重新计算" in text
    assert f"{chinese_date(notice.issued_at)}" in text
    refused_kinds(accepted, "not_accepted", "refused")

    # answered: the notice says so, and the receipt of the second acceptance carries the new due date
    for code in ("diploma", "id_card", "hukou_booklet"):
        material_add(application=accepted, checklist_code=code, upload=pdf(f"{code}.pdf"))
    case = application_resubmit(application_id=accepted.pk, actor=applicant.user, on=date(2026, 3, 4))
    case = application_accept(application_id=case.pk, actor=clerk)
    assert "您已于" in pdf_text(document_render(application=case, kind="correction"))
    receipt = pdf_text(document_render(application=case, kind="receipt"))
    assert "承诺办结日期2026年3月11日" in receipt
    assert "自2026年3月4日起算" in receipt


@pytest.mark.django_db
def test_not_accepted_notice_names_clause_condition_and_reason(submitted, clerk):
    case = application_not_accept(
        application_id=submitted.pk, actor=clerk, condition=OUTSIDE_SHAOXING, reason="申请人户口已在绍兴市越城区",
    )
    text = pdf_text(document_render(application=case, kind="not_accepted"))
    assert "不予受理通知书" in text
    assert case.case_number in text
    assert squeeze(CITATION) in text
    assert f"未满足的条件{OUTSIDE_SHAOXING}" in text
    assert "理由申请人户口已在绍兴市越城区" in text
    assert "决定不予受理" in text
    refused_kinds(case, "receipt", "correction", "refused")  # never accepted: no receipt


@pytest.mark.django_db
def test_refused_notice_names_clause_condition_and_reason(accepted, clerk):
    case = application_start_review(application_id=accepted.pk, actor=clerk)
    case = application_refuse(application_id=case.pk, actor=clerk, condition=COLLEGE, reason="学历证书经核查不属实")
    text = pdf_text(document_render(application=case, kind="refused"))
    assert "不予批准通知书" in text
    assert case.case_number in text
    assert squeeze(CITATION) in text
    assert f"未满足的条件{squeeze(COLLEGE)}" in text
    assert "理由学历证书经核查不属实" in text
    assert "决定不予批准" in text
    decided = case.transitions.filter(target="refused").get()
    assert chinese_date(decided.at) in text
    # accepted earlier, so the receipt still exists; there was no correction and no not-accepted decision
    assert case.case_number in pdf_text(document_render(application=case, kind="receipt"))
    refused_kinds(case, "correction", "not_accepted")


@pytest.mark.django_db
def test_download_only_through_the_cases_the_user_may_see(accepted, applicant, clerk, staff_factory, client):
    url = reverse("documents:download", kwargs={"case_number": accepted.case_number, "kind": "receipt"})
    assert url == f"/documents/{accepted.case_number}/receipt.pdf"

    response = client.get(url)
    assert response.status_code == 302  # login first
    assert accepted.case_number not in response.get("Location", "").split("next=")[0]

    login(client, ApplicantFactory().user)  # another applicant
    assert client.get(url).status_code == 404

    login(client, staff_factory("clerk", "jx"))  # a clerk of another city
    assert client.get(url).status_code == 404

    login(client, applicant.user)  # the owner
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{accepted.case_number}-receipt.pdf"'
    assert accepted.case_number in pdf_text(response.content)

    # a document the case does not have, an unknown kind, an unknown case: 404
    for kind in ("refused", "approval"):
        assert client.get(f"/documents/{accepted.case_number}/{kind}.pdf").status_code == 404
    assert client.get("/documents/SXKQ-20260302-XXXXXX/receipt.pdf").status_code == 404
    assert client.post(url).status_code == 405

    login(client, clerk)  # a clerk of the case's jurisdiction
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
