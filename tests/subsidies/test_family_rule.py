"""从优、从高、不重复: where one person qualifies under several programs of the same family only the
highest is paid, one program per family; programs that stack are different families and are both paid."""

from datetime import date

import pytest

from policies.models import SubsidyProgram
from subsidies.models import Entitlement, Payment
from tests.subsidies.factories import LOCAL_STUDENT, paid_periods, pay, program_like, record, settle

pytestmark = pytest.mark.django_db


def _program(code: str, amount_fen: int, *, family: str = "kq.stipend", max_periods: int = 6) -> SubsidyProgram:
    """A second program of the stipend's family, as a policy admin could add one (a city-level one, say)."""
    return program_like("kq.stipend", code, amount_fen=amount_fen, max_periods=max_periods, family=family)


def _graduated_student():
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT, registered_on=date(2026, 3, 2))
    record(registration.application.applicant, "graduated", date(2026, 6, 20))
    return registration


def _entitlement(registration, code):
    return Entitlement.objects.get(registration=registration, program__code=code)


def test_of_two_programs_of_one_family_only_the_higher_is_paid():
    _program("sx.stipend_high", 80_000)
    registration = _graduated_student()
    high, low = _entitlement(registration, "sx.stipend_high"), _entitlement(registration, "kq.stipend")
    assert high.competes and low.competes

    for month in ("2026-06", "2026-07"):
        pay("kq.stipend", month)  # the lower program's run first: it must still leave the person to the higher
        pay("sx.stipend_high", month)

    assert paid_periods(high) == ["2026-06", "2026-07"]
    assert paid_periods(low) == []


def test_equal_amounts_pay_the_older_entitlement_only():
    _program("sx.stipend_same", 50_000)
    registration = _graduated_student()

    pay("sx.stipend_same", "2026-06")
    pay("kq.stipend", "2026-06")

    paid = Payment.objects.filter(entitlement__registration=registration, family="kq.stipend")
    assert paid.count() == 1
    first = min(_entitlement(registration, c).pk for c in ("sx.stipend_same", "kq.stipend"))
    assert paid.get().entitlement_id == first


def test_one_program_per_family_even_after_the_paid_one_reaches_its_cap():
    _program("sx.stipend_short", 90_000, max_periods=2)
    registration = _graduated_student()

    for month in ("2026-06", "2026-07", "2026-08", "2026-09"):
        pay("sx.stipend_short", month)
        pay("kq.stipend", month)

    assert paid_periods(_entitlement(registration, "sx.stipend_short")) == ["2026-06", "2026-07"]
    assert paid_periods(_entitlement(registration, "kq.stipend")) == []  # 不重复: not a second program


def test_the_program_paid_first_holds_the_family():
    high = _program("sx.stipend_early", 80_000)  # in force from the settlement, the stipend from graduation
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT, registered_on=date(2026, 3, 2))
    pay(high.code, "2026-03")  # in force from the settlement: paid
    record(registration.application.applicant, "graduated", date(2026, 6, 20))
    pay("kq.stipend", "2026-06")

    assert paid_periods(_entitlement(registration, "sx.stipend_early")) == ["2026-03"]
    assert paid_periods(_entitlement(registration, "kq.stipend")) == []


def test_a_second_registration_of_the_same_person_is_not_paid_the_stipend_again():
    first = _graduated_student()
    applicant = first.application.applicant
    for month in ("2026-06", "2026-07"):
        pay("kq.stipend", month)
    second = settle(route="kq.local_student", facts=LOCAL_STUDENT, registered_on=date(2026, 8, 3),
                    applicant=applicant, today=date(2026, 8, 3))

    pay("kq.stipend", "2026-08")

    assert paid_periods(_entitlement(first, "kq.stipend")) == ["2026-06", "2026-07", "2026-08"]
    assert paid_periods(_entitlement(second, "kq.stipend")) == []
    assert Payment.objects.filter(applicant=applicant, family="kq.stipend", period="2026-08").count() == 1


def test_stacking_programs_are_other_families_and_both_are_paid():
    stipend = SubsidyProgram.objects.get(code="kq.stipend")
    anxin = SubsidyProgram.objects.get(code="kq.anxin")
    assert anxin in stipend.stacks_with.all() and stipend.family != anxin.family
    registration = _graduated_student()
    record(registration.application.applicant, "employed", date(2026, 12, 1))

    for month in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"):
        pay("kq.stipend", month)
    pay("kq.anxin", "2026")

    assert len(paid_periods(_entitlement(registration, "kq.stipend"))) == 6
    assert paid_periods(_entitlement(registration, "kq.anxin")) == ["2026"]
    assert not _entitlement(registration, "kq.anxin").competes
