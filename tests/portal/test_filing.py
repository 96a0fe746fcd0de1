"""Filing through the portal: open a draft from the self-check, add relatives, upload, submit once;
answer the correction notice; withdraw. Refusals are shown beside the field, in Chinese."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ApplicationState, FamilyMember, Material
from applications.services.transitions import application_request_correction, material_review
from tests.applications.factories import GRADUATE_FACTS, PDF_BYTES, id_number, pdf
from tests.portal.conftest import accepted_case, make_draft

S = ApplicationState
pytestmark = pytest.mark.django_db


def case_url(application, name="case", **kwargs):
    return reverse(f"portal:{name}", kwargs={"case_number": application.case_number, **kwargs})


def self_checked(client, place="sx.kq", facts=None):
    session = client.session
    session["portal_selfcheck"] = {"place": place, "facts": facts or GRADUATE_FACTS, "answers": {}}
    session.save()


def test_apply_opens_one_draft_from_the_self_check(applicant_client, applicant):
    self_checked(applicant_client)
    url = reverse("portal:apply", args=["kq.graduate"])
    page = applicant_client.get(url)
    assert page.status_code == 200
    assert "高校毕业生" in page.content.decode()

    refused = applicant_client.post(url, {})
    assert refused.status_code == 400
    assert "请勾选确认后再开始填报" in refused.content.decode()

    response = applicant_client.post(url, {"confirm": "on"})
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == case_url(application)
    assert application.state == S.DRAFT and application.facts == GRADUATE_FACTS
    # a second click carries on with the same draft
    again = applicant_client.post(url, {"confirm": "on"})
    assert again["Location"] == case_url(application)
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_apply_refuses_a_route_the_self_check_did_not_pass(applicant_client):
    self_checked(applicant_client)
    response = applicant_client.get(reverse("portal:apply", args=["kq.investor"]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:check_result")


def test_apply_without_a_self_check_goes_to_it(applicant_client):
    response = applicant_client.get(reverse("portal:apply", args=["kq.graduate"]))
    assert response["Location"] == reverse("portal:check")


def test_family_member_refused_beside_the_field_and_typed_values_kept(applicant_client, applicant):
    application = make_draft(applicant, complete=False)
    response = applicant_client.post(case_url(application, "family_add"), {
        "family-relation": "spouse", "family-real_name": "李四", "family-id_number": "330621199001011231",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "身份证号码无效" in html
    assert 'value="李四"' in html and 'value="330621199001011231"' in html
    assert 'aria-invalid="true"' in html

    minor_only = applicant_client.post(case_url(application, "family_add"), {
        "family-relation": "minor_child", "family-real_name": "李小", "family-id_number": id_number(),
    })
    assert minor_only.status_code == 400  # kq.graduate allows child, not minor_child as such
    assert "该落户途径不允许此随迁关系" in minor_only.content.decode()

    ok = applicant_client.post(case_url(application, "family_add"), {
        "family-relation": "spouse", "family-real_name": "李四", "family-id_number": id_number(),
    })
    assert ok.status_code == 302
    member = FamilyMember.objects.get(application=application)
    removed = applicant_client.post(case_url(application, "family_remove", member_id=member.pk))
    assert removed.status_code == 302 and not FamilyMember.objects.exists()


def test_upload_shows_progress_target_and_refuses_bad_content_beside_the_item(applicant_client, applicant):
    application = make_draft(applicant, complete=False)
    fake = SimpleUploadedFile("diploma.pdf", b"not really a pdf", content_type="application/pdf")
    refused = applicant_client.post(case_url(application, "material_upload"),
                                    {"checklist_code": "diploma", "file": fake},
                                    headers={"x-requested-with": "XMLHttpRequest"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert html.lstrip().startswith('<section id="materials"')  # the fragment the page swaps in
    assert 'id="file-diploma-error"' in html and "只接受 PDF、JPEG 或 PNG 文件" in html

    ok = applicant_client.post(case_url(application, "material_upload"),
                               {"checklist_code": "diploma", "file": pdf("毕业证.pdf")},
                               headers={"x-requested-with": "XMLHttpRequest"})
    assert ok.status_code == 200
    assert "毕业证.pdf" in ok.content.decode()
    assert Material.objects.filter(application=application, checklist_code="diploma").count() == 1

    no_file = applicant_client.post(case_url(application, "material_upload"), {"checklist_code": "id_card"})
    assert no_file.status_code == 400  # without JavaScript: the whole page, the error beside the item
    assert "请先选择要上传的文件" in no_file.content.decode()

    page = applicant_client.get(case_url(application)).content.decode()
    assert "还缺 2 项必交材料" in page and "居民身份证" in page
    material = Material.objects.get(application=application)
    applicant_client.post(case_url(application, "material_remove", material_id=material.pk))
    assert not Material.objects.filter(application=application).exists()


def test_submit_needs_the_pledge_and_every_material_and_goes_once(applicant_client, applicant):
    application = make_draft(applicant, complete=False)
    no_pledge = applicant_client.post(case_url(application, "submit"), {"version": application.version})
    assert no_pledge.status_code == 400 and "请勾选承诺后再提交" in no_pledge.content.decode()

    missing = applicant_client.post(case_url(application, "submit"),
                                    {"version": application.version, "pledge": "on"})
    assert missing.status_code == 400 and "尚缺必交材料" in missing.content.decode()

    for item in application.route.material_checklist:
        if item.get("required", True):
            applicant_client.post(case_url(application, "material_upload"),
                                  {"checklist_code": item["code"], "file": pdf()})
    response = applicant_client.post(case_url(application, "submit"),
                                     {"version": application.version, "pledge": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED and application.due_date is not None
    twice = applicant_client.post(case_url(application, "submit"),
                                  {"version": application.version - 1, "pledge": "on"}, follow=True)
    assert "申请已提交，无需重复提交" in twice.content.decode()
    application.refresh_from_db()
    assert application.transitions.filter(transition="submit").count() == 1
    page = applicant_client.get(case_url(application)).content.decode()
    assert "承诺办结日期" in page and "个工作日" in page


def test_answering_the_correction_notice(applicant_client, applicant, clerk):
    application = accepted_case(applicant, clerk)
    diploma = application.materials.get(checklist_code="diploma")
    material_review(material_id=diploma.pk, actor=clerk, accepted=False, reason="毕业证书照片不清晰，请重新拍照")
    application_request_correction(application_id=application.pk, actor=clerk)

    page = applicant_client.get(case_url(application)).content.decode()
    assert "一次性告知" in page and "毕业证书照片不清晰，请重新拍照" in page
    assert "补正材料一次性告知书" in page  # the PDF

    early = applicant_client.post(case_url(application, "resubmit"), {"version": application.version + 1})
    assert early.status_code == 400 and "尚未补正" in early.content.decode()

    applicant_client.post(case_url(application, "material_upload"),
                          {"checklist_code": "diploma", "file": pdf("清晰的毕业证.pdf")})
    application.refresh_from_db()
    response = applicant_client.post(case_url(application, "resubmit"), {"version": application.version})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.RESUBMITTED


def test_withdraw_asks_for_confirmation(applicant_client, draft):
    url = case_url(draft, "withdraw")
    refused = applicant_client.post(url, {"reason": "不办了"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "请勾选确认后再撤回" in html and "不办了" in html
    applicant_client.post(url, {"reason": "不办了", "confirm": "on"})
    draft.refresh_from_db()
    assert draft.state == S.WITHDRAWN


def test_another_applicants_case_is_not_found(client, draft):
    from tests.applications.factories import ApplicantFactory

    client.force_login(ApplicantFactory().user)
    assert client.get(case_url(draft)).status_code == 404
    assert client.post(case_url(draft, "submit"), {"version": 1, "pledge": "on"}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, draft):
    response = client.get(case_url(draft))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


def test_pdf_bytes_are_what_the_factories_upload():
    assert PDF_BYTES.startswith(b"%PDF-")


def test_a_jiaxing_case_asks_whether_the_follower_lives_with_the_applicant(applicant_client, applicant):
    from datetime import date

    from applications.services.drafts import application_create

    owner = {"birth_date": "1988-04-12", "sex": "M", "marital_status": "married",
             "residence": {"stable_residence_in_target": True, "kind": "owned", "permit": True}}
    application = application_create(applicant=applicant, route_code="jx.owned_residence", jurisdiction_code="jx",
                                     facts=owner)
    page = applicant_client.get(case_url(application)).content.decode()
    assert "是否与您共同居住生活" in page
    assert "是否与您共同居住生活" not in applicant_client.get(case_url(make_draft(applicant))).content.decode()

    child = {"family-relation": "minor_child", "family-real_name": "王小红",
             "family-id_number": id_number(date(2015, 6, 1), region="110105")}
    unanswered = applicant_client.post(case_url(application, "family_add"), child)
    assert unanswered.status_code == 400 and "请选择是否共同居住生活" in unanswered.content.decode()
    apart = applicant_client.post(case_url(application, "family_add"), {**child, "family-lives_with_applicant": "0"})
    assert apart.status_code == 400 and "随迁人员须与申请人共同居住生活" in apart.content.decode()
    together = applicant_client.post(case_url(application, "family_add"),
                                     {**child, "family-lives_with_applicant": "1"})
    assert together.status_code == 302
    assert FamilyMember.objects.get(application=application).lives_with_applicant is True
