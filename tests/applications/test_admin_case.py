"""The case page in the admin: everything a clerk needs to decide, one button per transition the user's
role may fire now, each posting the version the page showed; conflicts and bad input change nothing."""

from datetime import date

import pytest

from applications.models import Application, ApplicationState, ApplicationTransition, Registration
from applications.selectors import registration_address_options
from applications.services.drafts import material_add
from applications.services.transitions import (
    application_accept,
    application_resubmit,
    application_start_review,
    application_submit,
)
from tests.applications.conftest import ON
from tests.applications.factories import pdf
from tests.applications.test_admin_support import (
    CHANGELIST,
    action_url,
    add_family,
    case_url,
    client_for,
    make_case,
    messages_of,
)

S = ApplicationState
CONFLICT = "该办件已被他人处理，请刷新后重试"


def _state(case) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=case.pk)


def _version(case) -> int:
    return Application.objects.values_list("version", flat=True).get(pk=case.pk)


def _post(client, case, action, **data):
    return client.post(action_url(case, action), {"expected_version": _version(case), **data})


@pytest.fixture
def submitted(draft, applicant):
    return application_submit(application_id=draft.pk, actor=applicant.user, on=ON)


@pytest.mark.django_db
def test_the_full_path_through_the_admin(submitted, applicant, clerk, staff_factory):
    case = submitted
    clerk_client = client_for(clerk)
    approver = client_for(staff_factory("approver"))
    registrar_user = staff_factory("registrar")
    registrar = client_for(registrar_user)

    # 受理
    assert _post(clerk_client, case, "accept", reason="材料齐全").status_code == 302
    assert _state(case) == S.ACCEPTED

    # the diploma is unreadable: reject it, then one correction notice lists it
    diploma = case.materials.get(checklist_code="diploma")
    response = clerk_client.post(
        f"{CHANGELIST}{case.pk}/materials/{diploma.pk}/review/", {"decision": "reject", "reason": "学历证书不清晰"}
    )
    assert response.status_code == 302
    response = _post(clerk_client, case, "request_correction", extra_id_card="身份证已过有效期")
    assert response.status_code == 302
    assert _state(case) == S.CORRECTION_REQUESTED
    notice = case.correction_notices.get()
    assert [(item["code"], item["reason"]) for item in notice.items] == [
        ("diploma", "学历证书不清晰"), ("id_card", "身份证已过有效期"),
    ]
    page = clerk_client.get(case_url(case)).content.decode()
    assert "学历证书不清晰" in page and "身份证已过有效期" in page

    # the applicant answers once, through the services
    material_add(application=case, checklist_code="diploma", upload=pdf("diploma-clear.pdf"))
    material_add(application=case, checklist_code="id_card", upload=pdf("id-new.pdf"))
    application_resubmit(application_id=case.pk, actor=applicant.user, on=date(2026, 3, 4))

    assert _post(clerk_client, case, "accept").status_code == 302
    assert _post(clerk_client, case, "start_review").status_code == 302
    assert _state(case) == S.UNDER_REVIEW

    # 审批
    assert _post(approver, case, "approve", reason="符合绍柯政办发〔2020〕1号 二(一)1").status_code == 302
    assert _state(case) == S.APPROVED

    # 落户登记: exactly the options the facts allow, the first one chosen
    case = Application.objects.get(pk=case.pk)
    options = registration_address_options(case)
    page = registrar.get(case_url(case))
    form = next(action["form"] for action in page.context["actions"] if action["name"] == "register")
    assert list(form.fields["address_type"].choices) == options
    assert form.fields["address_type"].initial == options[0][0] == "employer_collective"
    assert f'value="{options[0][0]}" required id="id_register_address_type_0" checked' in page.content.decode()
    response = _post(registrar, case, "register", address_type=options[0][0], address="柯桥区某公司集体户",
                     registered_on="2026-03-20")
    assert response.status_code == 302

    assert _state(case) == S.REGISTERED
    registration = Registration.objects.get(application=case)
    assert (registration.address_type, registration.registered_on, registration.registrar) == (
        "employer_collective", date(2026, 3, 20), registrar_user,
    )
    steps = list(ApplicationTransition.objects.filter(application=case).values_list("source", "target"))
    assert steps == [
        (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.CORRECTION_REQUESTED),
        (S.CORRECTION_REQUESTED, S.RESUBMITTED), (S.RESUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.APPROVED), (S.APPROVED, S.REGISTERED),
    ]
    final = registrar.get(case_url(case))
    assert final.context["actions"] == []
    assert "柯桥区某公司集体户" in final.content.decode()


@pytest.mark.django_db
def test_the_case_page_shows_facts_eligibility_materials_family_and_timeline(submitted, clerk):
    add_family(submitted)
    response = client_for(clerk).get(case_url(submitted))

    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.case_number in html and "绍柯政办发〔2020〕1号 二(一)1" in html
    assert submitted.applicant.id_number_masked in html and submitted.applicant.id_number not in html
    member = submitted.family_members.get()
    assert member.id_number_masked in html and member.id_number not in html
    assert "户口在绍兴市外" in html and "✓" in html
    for material in submitted.materials.all():
        assert f'href="/api/v1/materials/{material.pk}/file/"' in html
    assert [step["to"] for step in response.context["timeline"]] == [S.SUBMITTED]
    # a clerk may accept or not accept a submitted case, and nothing else
    assert [action["name"] for action in response.context["actions"]] == ["accept", "not_accept"]
    condition = response.context["actions"][1]["form"].fields["condition"]
    assert [label for label, _ in condition.choices][1:] == [c["label"] for c in submitted.route_snapshot["criteria"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("clerk", S.ACCEPTED, ["request_correction", "start_review"]),
        ("clerk", S.UNDER_REVIEW, []),
        ("approver", S.UNDER_REVIEW, ["approve", "refuse"]),
        ("approver", S.SUBMITTED, []),
        ("registrar", S.APPROVED, ["register"]),
        ("registrar", S.UNDER_REVIEW, []),
        ("auditor", S.SUBMITTED, []),
    ],
)
def test_one_button_per_transition_the_role_may_fire_now(applicant, staff_factory, role, state, expected):
    case = make_case(applicant, state=state, due=ON)

    response = client_for(staff_factory(role)).get(case_url(case))

    assert [action["name"] for action in response.context["actions"]] == expected


@pytest.mark.django_db
def test_a_stale_form_gets_the_conflict_message_and_changes_nothing(submitted, clerk, staff_factory):
    rendered = client_for(clerk).get(case_url(submitted)).context["application"].version
    other = staff_factory("clerk")
    application_accept(application_id=submitted.pk, actor=other, expected_version=rendered)
    before = list(ApplicationTransition.objects.filter(application=submitted).values_list("id", flat=True))

    response = client_for(clerk).post(
        action_url(submitted, "not_accept"),
        {"expected_version": rendered, "reason": "材料不符", "condition": "户口在绍兴市外"},
        follow=True,
    )

    assert CONFLICT in messages_of(response)
    assert CONFLICT in response.content.decode()
    case = Application.objects.get(pk=submitted.pk)
    assert (case.state, case.version, case.decision_reason) == (S.ACCEPTED, rendered + 1, "")
    assert list(ApplicationTransition.objects.filter(application=case).values_list("id", flat=True)) == before


@pytest.mark.django_db
def test_not_accepting_needs_a_reason_and_names_the_condition(submitted, clerk):
    client = client_for(clerk)

    response = _post(client, submitted, "not_accept", reason="  ")
    assert response.status_code == 200
    assert response.context["actions"][1]["form"].errors["reason"]
    assert _state(submitted) == S.SUBMITTED

    response = _post(client, submitted, "not_accept", reason="学历证书系伪造", condition="不存在的条件")
    assert response.status_code == 200 and _state(submitted) == S.SUBMITTED

    condition = "大专及以上学历（全日制或国民教育同等学历）或留学回国人员"
    assert _post(client, submitted, "not_accept", reason="学历证书系伪造", condition=condition).status_code == 302
    case = Application.objects.get(pk=submitted.pk)
    assert case.state == S.NOT_ACCEPTED and case.decision_condition == condition
    assert case.transitions.last().reason.startswith("绍柯政办发〔2020〕1号 二(一)1：大专及以上学历")


@pytest.mark.django_db
def test_refusing_a_case_under_review(submitted, clerk, staff_factory):
    application_accept(application_id=submitted.pk, actor=clerk)
    application_start_review(application_id=submitted.pk, actor=clerk)
    approver = client_for(staff_factory("approver"))

    response = _post(approver, submitted, "refuse", reason="社保缴纳记录不实", condition="户口在绍兴市外")

    assert response.status_code == 302
    case = Application.objects.get(pk=submitted.pk)
    assert case.state == S.REFUSED and case.decision_reason == "社保缴纳记录不实"


@pytest.mark.django_db
def test_a_rejection_of_a_material_needs_a_reason(submitted, clerk):
    material = submitted.materials.first()

    response = client_for(clerk).post(
        f"{CHANGELIST}{submitted.pk}/materials/{material.pk}/review/", {"decision": "reject", "reason": ""}
    )

    assert response.status_code == 200
    material.refresh_from_db()
    assert material.review == "pending"


@pytest.mark.django_db
def test_claim_and_release(submitted, clerk, staff_factory):
    mine, theirs = client_for(clerk), client_for(staff_factory("clerk"))

    assert mine.post(f"{CHANGELIST}{submitted.pk}/claim/", {"expected_version": _version(submitted)}).status_code == 302
    assert Application.objects.get(pk=submitted.pk).assigned_to == clerk

    response = theirs.post(
        f"{CHANGELIST}{submitted.pk}/claim/", {"expected_version": _version(submitted)}, follow=True
    )
    assert "该办件已由他人认领" in messages_of(response)
    assert theirs.post(f"{CHANGELIST}{submitted.pk}/release/", {"expected_version": _version(submitted)}).status_code \
        == 403

    assert mine.post(f"{CHANGELIST}{submitted.pk}/release/", {"expected_version": _version(submitted)}).status_code \
        == 302
    assert Application.objects.get(pk=submitted.pk).assigned_to is None
    assert [t for t in submitted.transitions.values_list("transition", flat=True)][-2:] == ["claim", "release"]


@pytest.mark.django_db
def test_a_clerk_of_jiaxing_cannot_open_or_act_on_a_keqiao_case(submitted, staff_factory):
    jx_clerk = client_for(staff_factory("clerk", "jx"))

    assert jx_clerk.get(case_url(submitted)).status_code == 404
    assert _post(jx_clerk, submitted, "accept").status_code == 404
    assert jx_clerk.post(f"{CHANGELIST}{submitted.pk}/claim/", {"expected_version": 2}).status_code == 404
    assert _state(submitted) == S.SUBMITTED


@pytest.mark.django_db
def test_auditors_see_but_cannot_act(submitted, staff_factory):
    auditor = client_for(staff_factory("auditor"))

    page = auditor.get(case_url(submitted))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="action-form"' not in html and 'class="review-form"' not in html and "/claim/" not in html
    assert _post(auditor, submitted, "accept").status_code == 403
    material = submitted.materials.first()
    assert auditor.post(
        f"{CHANGELIST}{submitted.pk}/materials/{material.pk}/review/", {"decision": "accept"}
    ).status_code == 403
    assert auditor.post(f"{CHANGELIST}{submitted.pk}/claim/", {"expected_version": 2}).status_code == 403
    assert _state(submitted) == S.SUBMITTED


@pytest.mark.django_db
def test_a_role_cannot_fire_another_roles_transition(submitted, clerk, staff_factory):
    application_accept(application_id=submitted.pk, actor=clerk)
    application_start_review(application_id=submitted.pk, actor=clerk)

    assert _post(client_for(clerk), submitted, "approve").status_code == 403
    assert _post(client_for(staff_factory("registrar")), submitted, "approve").status_code == 403
    assert _post(client_for(clerk), submitted, "withdraw").status_code == 404
    assert _state(submitted) == S.UNDER_REVIEW


@pytest.mark.django_db
def test_nothing_is_edited_through_the_normal_admin_forms(submitted, clerk, staff_factory):
    superuser = staff_factory("clerk")
    superuser.is_superuser = True
    superuser.save()
    for client in (client_for(clerk), client_for(superuser)):
        response = client.post(case_url(submitted), {"state": S.APPROVED, "facts": "{}", "_save": "Save"})
        assert response.status_code == 405
        assert client.get(f"{CHANGELIST}add/").status_code == 403
        assert client.post(f"{CHANGELIST}{submitted.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.get(action_url(submitted, "accept")).status_code == 405
    case = Application.objects.get(pk=submitted.pk)
    assert case.state == S.SUBMITTED and case.facts == submitted.facts


@pytest.mark.django_db
def test_an_action_that_is_not_allowed_now_is_a_conflict_message(submitted, staff_factory):
    registrar = client_for(staff_factory("registrar"))

    response = registrar.post(
        action_url(submitted, "register"),
        {"expected_version": _version(submitted), "address_type": "talent_collective", "address": "某地",
         "registered_on": "2026-03-20"},
        follow=True,
    )

    assert any("不能执行此操作" in message for message in messages_of(response))
    assert _state(submitted) == S.SUBMITTED and not Registration.objects.exists()


@pytest.mark.django_db
def test_the_case_page_leads_back_to_the_queue_it_was_opened_from(submitted, clerk):
    client = client_for(clerk)

    opened = client.get(case_url(submitted), {"_changelist_filters": "step=all&assigned=me"})
    direct = client.get(case_url(submitted))

    assert opened.context["queue_url"] == f"{CHANGELIST}?step=all&assigned=me"
    assert direct.context["queue_url"] == f"{CHANGELIST}?step=accept"


@pytest.mark.django_db
def test_a_correction_without_any_gap_is_refused_with_the_services_message(submitted, clerk):
    client = client_for(clerk)
    application_accept(application_id=submitted.pk, actor=clerk)

    response = _post(client, submitted, "request_correction")

    assert response.status_code == 200
    form = next(a["form"] for a in response.context["actions"] if a["name"] == "request_correction")
    assert "没有被退回或缺少的材料，无需补正" in form.non_field_errors()
    assert _state(submitted) == S.ACCEPTED and not submitted.correction_notices.exists()
