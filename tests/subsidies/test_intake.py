"""Registration creates entitlements: the subsidies app subscribes to applications' registration event
(sent on commit) and reads the program table; a case never knows who pays it."""

from datetime import date
from unittest import mock

import pytest

from applications.services.drafts import application_create, material_add
from applications.services.transitions import (
    application_accept,
    application_approve,
    application_register,
    application_start_review,
    application_submit,
)
from applications.tasks import notification_deliver
from subsidies.models import AuditEntry, Commitment, Entitlement, FactEvent, RegistrationIntake
from subsidies.services.intake import entitlements_create_for_registration, registrations_intake_backfill
from tests.applications.factories import GRADUATE_FACTS, ApplicantFactory, pdf
from tests.subsidies.factories import EMPLOYED_GRADUATE, LOCAL_STUDENT, record, registered_case, settle

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)


def _register_through_the_services(clerk, django_capture_on_commit_callbacks, facts=GRADUATE_FACTS):
    applicant = ApplicantFactory()
    case = application_create(applicant=applicant, route_code="kq.graduate", jurisdiction_code="sx.kq", facts=facts,
                              on=ON)
    for item in case.route.material_checklist:
        if item.get("required", True):
            material_add(application=case, checklist_code=item["code"], upload=pdf())
    application_submit(application_id=case.pk, actor=applicant.user, on=ON)
    for step in (application_accept, application_start_review, application_approve):
        step(application_id=case.pk, actor=clerk)
    # the applicant's notifications are not under test here: only the registration event is
    with django_capture_on_commit_callbacks(execute=True), mock.patch.object(notification_deliver, "delay"):
        return application_register(application_id=case.pk, actor=clerk, address_type="employer_collective",
                                    address="柯桥区某公司集体户", registered_on=date(2026, 3, 20))


def test_a_registration_creates_the_entitlements_whose_conditions_the_settler_meets(
        clerk, django_capture_on_commit_callbacks):
    registration = _register_through_the_services(clerk, django_capture_on_commit_callbacks)

    programs = set(Entitlement.objects.filter(registration=registration).values_list("program__code", flat=True))
    assert programs == {"kq.anxin", "kq.reward_settler", "kq.reward_employer"}  # kq.stipend is for local students
    anxin = Entitlement.objects.get(registration=registration, program__code="kq.anxin")
    assert anxin.starts_on == date(2026, 3, 20)  # a graduate employed at settlement: in force at once
    assert (anxin.amount_fen, anxin.max_periods, anxin.period_kind) == (600_000, 3, "year")
    assert Commitment.objects.get(registration=registration).ends_on == date(2031, 3, 20)
    declared = set(FactEvent.objects.filter(applicant=registration.application.applicant)
                   .values_list("kind", "source"))
    assert declared == {("graduated", "registration"), ("employed", "registration")}
    assert AuditEntry.objects.filter(action="entitlement_create").count() == 3
    assert anxin.basis and all(condition["ok"] for condition in anxin.basis)  # the conditions as met, frozen
    assert "毕业后首次就业" in [condition["label"] for condition in anxin.basis]


def test_a_local_student_gets_the_stipend_waiting_and_the_anxin_once_a_first_job_follows_graduation():
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    student = registration.application.applicant

    entitlements = {e.program.code: e for e in Entitlement.objects.filter(registration=registration)}
    assert set(entitlements) == {"kq.stipend"}  # not yet 新增就业: no job, not even graduated
    assert entitlements["kq.stipend"].starts_on is None
    assert not FactEvent.objects.filter(applicant=student).exists()

    record(student, "graduated", date(2026, 6, 20))
    record(student, "employed", date(2026, 12, 10))

    anxin = Entitlement.objects.get(registration=registration, program__code="kq.anxin")
    assert anxin.starts_on == date(2026, 12, 10)
    assert not anxin.commitment_id and anxin.basis[-1]["ok"]


def test_the_event_twice_creates_the_entitlements_once():
    registration = registered_case(facts=EMPLOYED_GRADUATE)

    first = entitlements_create_for_registration(registration_id=registration.pk, today=ON)
    again = entitlements_create_for_registration(registration_id=registration.pk, today=ON)

    assert len(first) == 3 and sorted(e.pk for e in again) == sorted(e.pk for e in first)
    assert Entitlement.objects.filter(registration=registration).count() == 3
    assert Commitment.objects.filter(registration=registration).count() == 1


def test_a_settler_who_meets_no_program_creates_nothing_but_is_taken_in():
    investor = {"birth_date": "1980-01-01", "sex": "M", "education": "high_school",
                "business": {"runs_local_business": True, "tax_months": 24}}
    registration = registered_case(route="kq.investor", facts=investor)

    assert entitlements_create_for_registration(registration_id=registration.pk, today=ON) == []
    assert RegistrationIntake.objects.get(registration=registration).entitlements == 0


def test_an_inactive_program_creates_no_entitlement():
    from policies.models import SubsidyProgram

    SubsidyProgram.objects.filter(code="kq.anxin").update(active=False)
    registration = settle(facts=EMPLOYED_GRADUATE)

    assert not Entitlement.objects.filter(registration=registration, program__code="kq.anxin").exists()


def test_a_failing_subscriber_does_not_fail_the_registration_and_the_daily_job_catches_up(
        clerk, django_capture_on_commit_callbacks):
    with mock.patch("subsidies.receivers.entitlements_create_for_registration", side_effect=RuntimeError("down")):
        registration = _register_through_the_services(clerk, django_capture_on_commit_callbacks)

    registration.application.refresh_from_db()
    assert registration.application.state == "registered"
    assert not Entitlement.objects.filter(registration=registration).exists()

    assert registrations_intake_backfill(since=date(2026, 3, 1), today=date(2026, 3, 21)) == 1
    assert Entitlement.objects.filter(registration=registration).count() == 3
    assert registrations_intake_backfill(since=date(2026, 3, 1), today=date(2026, 3, 21)) == 0
