"""A case's life, as the services drive it: each step audited, the applicant told, the clock kept."""

from datetime import date

import pytest

from applications.errors import ApplicationError, ConflictError
from applications.events import application_registered
from applications.models import ApplicationState, Material, Notification
from applications.selectors import application_timeline, registration_address_options
from applications.services.drafts import material_add
from applications.services.transitions import (
    application_accept,
    application_approve,
    application_not_accept,
    application_refuse,
    application_register,
    application_request_correction,
    application_resubmit,
    application_start_review,
    application_submit,
    application_withdraw,
    material_review,
)
from tests.applications.conftest import ON
from tests.applications.factories import pdf

S = ApplicationState


@pytest.mark.django_db
def test_file_accept_correct_resubmit_approve_register(draft, applicant, clerk, django_capture_on_commit_callbacks):
    user = applicant.user
    events = []
    application_registered.connect(lambda **kw: events.append(kw), weak=False, dispatch_uid="test-events")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = application_submit(application_id=draft.pk, actor=user, on=ON)
        assert case.state == S.SUBMITTED
        assert case.eligibility["eligible"] is True
        assert case.route_snapshot["citation"] == "绍柯政办发〔2020〕1号 二(一)1"
        assert case.due_date == date(2026, 3, 9)  # 5 working days after Monday 2 March

        case = application_accept(application_id=case.pk, actor=clerk, expected_version=case.version)
        diploma = case.materials.get(checklist_code="diploma")
        material_review(material_id=diploma.pk, actor=clerk, accepted=False, reason="学历证书不清晰")
        notice = application_request_correction(application_id=case.pk, actor=clerk)
        assert [item["code"] for item in notice.items] == ["diploma"]
        assert "学历证书不清晰" in notice.items[0]["reason"]

        with pytest.raises(ApplicationError) as missing:
            application_resubmit(application_id=case.pk, actor=user, on=date(2026, 3, 4))
        assert missing.value.field == "materials"
        material_add(application=case, checklist_code="diploma", upload=pdf("diploma-clear.pdf"))
        case = application_resubmit(application_id=case.pk, actor=user, on=date(2026, 3, 4))
        assert case.state == S.RESUBMITTED
        assert case.due_date == date(2026, 3, 11)  # the clock restarts from the resubmission

        case = application_accept(application_id=case.pk, actor=clerk)
        case = application_start_review(application_id=case.pk, actor=clerk)
        case = application_approve(application_id=case.pk, actor=clerk, reason="符合条件")
        options = [code for code, _ in registration_address_options(case)]
        assert options[0] == "employer_collective"  # no residence, employed in Keqiao
        with django_capture_on_commit_callbacks(execute=True):
            registration = application_register(
                application_id=case.pk, actor=clerk, address_type=options[0], address="柯桥区某公司集体户",
                registered_on=date(2026, 3, 20),
            )
    finally:
        application_registered.disconnect(dispatch_uid="test-events")

    case.refresh_from_db()
    assert case.state == S.REGISTERED
    assert registration.registered_on == date(2026, 3, 20)
    assert events and events[0]["route_code"] == "kq.graduate" and events[0]["application_id"] == case.pk
    timeline = application_timeline(case)
    assert [(step["from"], step["to"]) for step in timeline] == [
        (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.CORRECTION_REQUESTED),
        (S.CORRECTION_REQUESTED, S.RESUBMITTED), (S.RESUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.APPROVED), (S.APPROVED, S.REGISTERED),
    ]
    assert "学历证书不清晰" in timeline[2]["reason"]
    subjects = list(Notification.objects.filter(user=user).values_list("subject", flat=True))
    assert any("一次性告知" in s for s in subjects) and any("落户登记" in s for s in subjects)


@pytest.mark.django_db
def test_an_ineligible_route_cannot_be_submitted_and_the_failing_conditions_are_named(draft, applicant):
    draft.facts = {**draft.facts, "hukou": {"in_target_city": True}}
    draft.save()

    with pytest.raises(ApplicationError) as refused:
        application_submit(application_id=draft.pk, actor=applicant.user, on=ON)

    assert refused.value.field == "route"
    assert refused.value.details == ["户口在绍兴市外"]
    draft.refresh_from_db()
    assert draft.state == S.DRAFT and not draft.transitions.exists()


@pytest.mark.django_db
def test_missing_required_materials_block_submission(applicant, draft):
    draft.materials.filter(checklist_code="diploma").delete()

    with pytest.raises(ApplicationError) as refused:
        application_submit(application_id=draft.pk, actor=applicant.user, on=ON)

    assert refused.value.field == "materials" and "毕业证书" in refused.value.message


@pytest.mark.django_db
def test_not_accepted_names_the_clause_and_condition(draft, applicant, clerk):
    application_submit(application_id=draft.pk, actor=applicant.user, on=ON)

    case = application_not_accept(application_id=draft.pk, actor=clerk, reason="学历材料与学信网不符",
                                  condition="大专及以上学历（全日制或国民教育同等学历）或留学回国人员")

    assert case.state == S.NOT_ACCEPTED
    reason = case.transitions.last().reason
    assert reason.startswith("绍柯政办发〔2020〕1号 二(一)1：大专及以上学历")
    with pytest.raises(ApplicationError):
        application_not_accept(application_id=draft.pk, actor=clerk, reason="")


@pytest.mark.django_db
def test_refused_needs_a_reason_and_withdrawn_closes_the_case(draft, applicant, clerk):
    application_submit(application_id=draft.pk, actor=applicant.user, on=ON)
    application_accept(application_id=draft.pk, actor=clerk)
    application_start_review(application_id=draft.pk, actor=clerk)

    with pytest.raises(ApplicationError) as no_reason:
        application_refuse(application_id=draft.pk, actor=clerk, reason=" ")
    assert no_reason.value.field == "reason"
    case = application_refuse(application_id=draft.pk, actor=clerk, reason="材料不实")
    assert case.state == S.REFUSED
    with pytest.raises(ConflictError):
        application_withdraw(application_id=draft.pk, actor=applicant.user)


@pytest.mark.django_db
def test_the_applicant_withdraws_an_open_case_but_nobody_else_can(draft, applicant, clerk):
    application_submit(application_id=draft.pk, actor=applicant.user, on=ON)

    with pytest.raises(ApplicationError):
        application_withdraw(application_id=draft.pk, actor=clerk)
    case = application_withdraw(application_id=draft.pk, actor=applicant.user, reason="不再需要")

    assert case.state == S.WITHDRAWN and case.transitions.last().actor == applicant.user


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_and_changes_nothing(draft, applicant, clerk):
    case = application_submit(application_id=draft.pk, actor=applicant.user, on=ON)
    seen = case.version
    application_accept(application_id=case.pk, actor=clerk, expected_version=seen)

    with pytest.raises(ConflictError):
        application_accept(application_id=case.pk, actor=clerk, expected_version=seen)
    assert case.transitions.count() == 2


@pytest.mark.django_db
def test_one_notice_only_and_a_correction_needs_something_to_correct(draft, applicant, clerk):
    application_submit(application_id=draft.pk, actor=applicant.user, on=ON)
    application_accept(application_id=draft.pk, actor=clerk)

    with pytest.raises(ApplicationError) as nothing:
        application_request_correction(application_id=draft.pk, actor=clerk)
    assert nothing.value.field == "items"

    material = Material.objects.filter(application=draft).first()
    material_review(material_id=material.pk, actor=clerk, accepted=False, reason="模糊")
    application_request_correction(application_id=draft.pk, actor=clerk)
    material_add(application=draft, checklist_code=material.checklist_code, upload=pdf())
    application_resubmit(application_id=draft.pk, actor=applicant.user, on=ON)
    application_accept(application_id=draft.pk, actor=clerk)
    with pytest.raises(ApplicationError):
        application_request_correction(application_id=draft.pk, actor=clerk)
