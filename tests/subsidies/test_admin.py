"""The subsidies admin: finance acts (starts runs, closes recoveries), clerks record facts, every other
role reads; every change leaves an audit row (and a history row where a form edits)."""

from datetime import date

import pytest
from django.urls import reverse

from policies.models import SubsidyProgram
from subsidies.models import AuditEntry, Commitment, Employer, Entitlement, FactEvent, Payment, PaymentRun
from tests.subsidies.factories import EMPLOYED_GRADUATE, LOCAL_STUDENT, credit_code, pay, record, settle

pytestmark = pytest.mark.django_db

PAGES = ["entitlement", "factevent", "payment", "paymentrun", "paymentprogram", "commitment", "employer",
         "auditentry"]


@pytest.mark.parametrize("role", ["finance", "finance_approver", "auditor", "leader", "clerk", "registrar"])
def test_every_subsidies_role_reads_every_list(client, staff, role):
    settle(facts=EMPLOYED_GRADUATE)
    client.force_login(staff(role))

    for page in PAGES:
        assert client.get(reverse(f"admin:subsidies_{page}_changelist")).status_code == 200, page


@pytest.mark.parametrize("role", ["approver", "policy_admin"])
def test_roles_without_business_here_see_nothing(client, staff, role):
    client.force_login(staff(role))
    assert client.get(reverse("admin:subsidies_payment_changelist")).status_code == 403


def _start(client, program: str, period: str):
    program_id = SubsidyProgram.objects.get(code=program).pk
    return client.post(reverse("admin:subsidies_paymentprogram_changelist"), {
        "action": "start_run", "_selected_action": [program_id], "period": period, "index": 0,
    }, follow=True)


def test_finance_starts_a_run_for_a_period_from_the_admin(client, finance, eager_celery,
                                                         django_capture_on_commit_callbacks):
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    record(registration.application.applicant, "graduated", date(2026, 3, 2))
    client.force_login(finance)

    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, "kq.stipend", "2026-03")

    assert response.status_code == 200
    run = PaymentRun.objects.get()
    assert (run.period, run.status, run.inserted, run.started_by, run.trigger) == ("2026-03", "completed", 1,
                                                                                   finance, "admin")
    assert AuditEntry.objects.filter(action="run_start", actor=finance, target_id=run.pk).exists()
    page = client.get(reverse("admin:subsidies_paymentrun_changelist"))
    assert b"<progress" in page.content and b"100%" in page.content


def test_a_bad_period_from_the_admin_is_a_message_and_starts_nothing(client, finance):
    client.force_login(finance)

    response = _start(client, "kq.stipend", "2026/03")

    assert "按月发放的项目" in response.content.decode()
    assert not PaymentRun.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "auditor", "finance_approver", "leader"])
def test_only_finance_may_start_a_run(client, staff, role):
    client.force_login(staff(role))

    _start(client, "kq.stipend", "2026-03")

    assert not PaymentRun.objects.exists()
    page = client.get(reverse("admin:subsidies_paymentprogram_changelist")).content.decode()
    assert "start_run" not in page


def test_a_clerk_records_a_fact_in_the_admin_and_it_decides_the_entitlements(client, clerk):
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    applicant = registration.application.applicant
    client.force_login(clerk)

    response = client.post(reverse("admin:subsidies_factevent_add"), {
        "id_number": applicant.id_number, "kind": "graduated", "occurred_on": "2026-06-20", "note": "毕业证书已核",
    })

    assert response.status_code == 302
    event = FactEvent.objects.get(applicant=applicant)
    assert (event.kind, event.source, event.recorded_by) == ("graduated", "admin", clerk)
    stipend = Entitlement.objects.get(applicant=applicant, program__code="kq.stipend")
    assert stipend.starts_on == date(2026, 6, 20)
    assert AuditEntry.objects.filter(action="fact_record", actor=clerk).exists()
    assert AuditEntry.objects.filter(action="entitlement_window", actor=clerk, target_id=stipend.pk).exists()
    history = client.get(reverse("admin:subsidies_entitlement_history", args=[stipend.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize("data, error", [
    ({"kind": "graduated", "occurred_on": "2099-01-01"}, "不能晚于今天"),
    ({"kind": "employed", "occurred_on": "2026-06-20", "employer_uscc": "91330621000000000X"}, ""),
    ({"kind": "employed", "occurred_on": "2026-06-20", "employer_uscc": credit_code(5)}, "单位名称"),
])
def test_a_bad_fact_goes_back_to_the_form_and_saves_nothing(client, clerk, data, error):
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    client.force_login(clerk)

    response = client.post(reverse("admin:subsidies_factevent_add"),
                           {"id_number": registration.application.applicant.id_number, **data})

    assert response.status_code == 200 and b"errorlist" in response.content
    assert error in response.content.decode()
    assert not FactEvent.objects.filter(source="admin").exists() and not Employer.objects.exists()


def test_a_clerk_of_another_jurisdiction_cannot_record_for_a_keqiao_settler(client, staff):
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    client.force_login(staff("clerk", jurisdiction="jx"))

    response = client.post(reverse("admin:subsidies_factevent_add"), {
        "id_number": registration.application.applicant.id_number, "kind": "graduated", "occurred_on": "2026-06-20",
    })

    assert response.status_code == 200 and not FactEvent.objects.exists()
    assert not client.get(reverse("admin:subsidies_entitlement_changelist")).context["cl"].result_count


@pytest.mark.parametrize("role", ["auditor", "leader", "finance_approver"])
def test_readers_cannot_record_facts(client, staff, role):
    client.force_login(staff(role))
    assert client.get(reverse("admin:subsidies_factevent_add")).status_code == 403


def test_revoking_a_fact_in_the_admin_needs_a_reason(client, clerk):
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    event = record(registration.application.applicant, "graduated", date(2026, 6, 20))
    client.force_login(clerk)
    url = reverse("admin:subsidies_factevent_changelist")

    client.post(url, {"action": "revoke", "_selected_action": [event.pk], "reason": "", "index": 0})
    event.refresh_from_db()
    assert event.revoked_at is None

    client.post(url, {"action": "revoke", "_selected_action": [event.pk], "reason": "毕业日期录错", "index": 0})
    event.refresh_from_db()
    assert event.revoked_by == clerk and event.revoke_reason == "毕业日期录错"
    assert Entitlement.objects.get(applicant=event.applicant, program__code="kq.stipend").starts_on is None


def test_finance_records_the_guiding_employer_and_closes_recoveries(client, finance, clerk):
    registration = settle(facts=EMPLOYED_GRADUATE)
    commitment = Commitment.objects.get(registration=registration)
    client.force_login(finance)

    bad = client.post(reverse("admin:subsidies_commitment_employer", args=[commitment.pk]),
                      {"uscc": "91330621000000000X", "name": "某公司"})
    assert bad.status_code == 200 and not Employer.objects.exists()
    good = client.post(reverse("admin:subsidies_commitment_employer", args=[commitment.pk]),
                       {"uscc": credit_code(9), "name": "柯桥某印染有限公司"})
    assert good.status_code == 302
    commitment.refresh_from_db()
    assert commitment.employer.uscc == credit_code(9)

    pay("kq.reward_settler")
    pay("kq.reward_employer")
    record(registration.application.applicant, "hukou_moved_out", date(2027, 5, 1), actor=clerk)
    due = list(Payment.objects.filter(recovery_status="due").values_list("pk", flat=True))
    assert len(due) == 2
    listing = client.get(reverse("admin:subsidies_payment_changelist") + "?recovery_status__exact=due")
    assert listing.context["cl"].result_count == 2

    url = reverse("admin:subsidies_payment_changelist")
    client.post(url, {"action": "waive_recovery", "_selected_action": due, "note": "", "index": 0})
    assert Payment.objects.filter(recovery_status="due").count() == 2  # a waiver needs its reason
    client.post(url, {"action": "mark_recovered", "_selected_action": due, "index": 0})
    assert set(Payment.objects.values_list("recovery_status", flat=True)) == {"recovered"}
    assert AuditEntry.objects.filter(action="payment_recovery_resolve", actor=finance).count() == 2


def test_nobody_edits_or_deletes_payments_entitlements_or_runs_through_forms(client, finance):
    registration = settle(facts=EMPLOYED_GRADUATE)
    pay("kq.anxin", "2026")
    entitlement = Entitlement.objects.get(registration=registration, program__code="kq.anxin")
    client.force_login(finance)

    for name, pk in (("entitlement", entitlement.pk), ("payment", Payment.objects.get().pk),
                     ("paymentrun", PaymentRun.objects.get().pk)):
        assert client.post(reverse(f"admin:subsidies_{name}_change", args=[pk]), {}).status_code == 403
        assert client.post(reverse(f"admin:subsidies_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert Payment.objects.count() == 1


def test_the_admin_speaks_chinese():
    from django.utils import translation

    from subsidies.models import PaymentProgram

    with translation.override("zh-hans"):
        assert str(Entitlement._meta.verbose_name) == "享受资格"
        assert str(Payment.Recovery.DUE.label) == "待追回"
        assert str(FactEvent.Kind.HUKOU_MOVED_OUT.label) == "户口迁出"
        assert str(Commitment._meta.verbose_name) == "五年不迁出承诺"
        assert str(PaymentProgram._meta.verbose_name) == "待发放项目"
        assert str(PaymentRun._meta.get_field("cursor").verbose_name) == "已处理至资格编号"


def test_every_page_of_a_case_renders_for_finance(client, finance):
    registration = settle(facts=EMPLOYED_GRADUATE)
    commitment = Commitment.objects.get(registration=registration)
    event = FactEvent.objects.filter(applicant=registration.application.applicant).first()
    run = pay("kq.anxin", "2026")
    client.force_login(finance)

    pages = [
        reverse("admin:subsidies_entitlement_change", args=[Entitlement.objects.filter(registration=registration)
                                                             .first().pk]),
        reverse("admin:subsidies_commitment_change", args=[commitment.pk]),
        reverse("admin:subsidies_commitment_employer", args=[commitment.pk]),
        reverse("admin:subsidies_factevent_change", args=[event.pk]),
        reverse("admin:subsidies_factevent_add"),
        reverse("admin:subsidies_payment_change", args=[Payment.objects.get().pk]),
        reverse("admin:subsidies_paymentrun_change", args=[run.pk]),
        reverse("admin:subsidies_paymentprogram_change", args=[SubsidyProgram.objects.get(code="kq.anxin").pk]),
        reverse("admin:subsidies_auditentry_changelist") + "?action=run_complete",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    assert "记录引导落户的用人单位" in client.get(pages[1], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_run_whose_worker_went_silent_shows_as_stalled_until_resumed(client, finance, settings):
    from datetime import timedelta

    from django.utils import timezone

    from subsidies.services.runs import payment_run_start

    settings.PAYMENT_RUN_STALLED_AFTER_SECONDS = 180
    run = payment_run_start(program_code="kq.stipend", period="2026-03", now=timezone.now().replace(year=2027))
    PaymentRun.objects.filter(pk=run.pk).update(status="running",
                                                heartbeat_at=timezone.now() - timedelta(minutes=4))
    client.force_login(finance)
    page = client.get(reverse("admin:subsidies_paymentrun_changelist")).content.decode()
    assert "已停滞" in page and "一分钟内自动续跑" in page

    PaymentRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=1))
    page = client.get(reverse("admin:subsidies_paymentrun_changelist")).content.decode()
    assert "已停滞" not in page and "执行中" in page
