"""安心补贴 (kq.anxin, 绍柯 二(二)4): 6000 yuan a year to a newly employed college graduate settled in
Keqiao, at most 3 years, each year only while the hukou is still in Keqiao; it stacks with the stipend."""

from datetime import date, datetime

import pytest

from subsidies.errors import SubsidyError
from subsidies.models import Entitlement
from subsidies.periods import SHANGHAI
from subsidies.services.runs import payment_run_start
from tests.subsidies.factories import (
    EMPLOYED_GRADUATE,
    JOBLESS_GRADUATE,
    LOCAL_STUDENT,
    paid_periods,
    pay,
    record,
    settle,
)

pytestmark = pytest.mark.django_db

YEARS = ["2025", "2026", "2027", "2028", "2029", "2030"]


def _anxin(registration):
    return Entitlement.objects.get(registration=registration, program__code="kq.anxin")


def test_an_employed_graduate_is_paid_three_years_while_the_hukou_stays():
    anxin = _anxin(settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2)))

    for year in YEARS:
        pay("kq.anxin", year)

    assert anxin.starts_on == date(2026, 3, 2)
    assert paid_periods(anxin) == ["2026", "2027", "2028"]
    assert sum(anxin.payments.values_list("amount_fen", flat=True)) == 3 * 600_000


def test_the_anxin_stops_when_the_hukou_moves_out():
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    anxin = _anxin(registration)
    pay("kq.anxin", "2026")
    record(registration.application.applicant, "hukou_moved_out", date(2027, 6, 30), today=date(2027, 7, 1))

    for year in YEARS:
        pay("kq.anxin", year)

    assert paid_periods(anxin) == ["2026"]


@pytest.mark.parametrize("moved_out_on, paid", [
    (date(2027, 12, 31), ["2026"]),          # gone on the last day of 2027: 2027 is not paid
    (date(2028, 1, 1), ["2026", "2027"]),    # still there on 31 December 2027
])
def test_year_edge_the_hukou_must_still_be_in_keqiao_on_the_last_day_of_the_year(moved_out_on, paid):
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    record(registration.application.applicant, "hukou_moved_out", moved_out_on)

    for year in YEARS:
        pay("kq.anxin", year)

    assert paid_periods(_anxin(registration)) == paid


def test_year_edge_a_settlement_on_new_years_eve_counts_for_that_year():
    anxin = _anxin(settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 12, 31)))

    for year in YEARS:
        pay("kq.anxin", year)

    assert paid_periods(anxin) == ["2026", "2027", "2028"]


def test_a_jobless_graduate_earns_it_with_a_first_job_within_the_job_seeking_period():
    registration = settle(facts=JOBLESS_GRADUATE, registered_on=date(2026, 3, 2))
    assert not Entitlement.objects.filter(registration=registration, program__code="kq.anxin").exists()
    pay("kq.anxin", "2026")
    record(registration.application.applicant, "employed", date(2027, 5, 1), today=date(2027, 5, 1))
    anxin = _anxin(registration)  # graduated 2025-06-30: a first job within two years

    for year in YEARS:
        pay("kq.anxin", year)

    assert paid_periods(anxin) == ["2027", "2028", "2029"]


def test_a_local_student_is_paid_the_stipend_and_then_the_anxin_on_top_stacked():
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT, registered_on=date(2026, 3, 2))
    student = registration.application.applicant
    record(student, "graduated", date(2026, 6, 20))
    record(student, "employed", date(2026, 12, 10))

    for month in ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]:
        pay("kq.stipend", month)
    pay("kq.anxin", "2026")

    stipend = Entitlement.objects.get(registration=registration, program__code="kq.stipend")
    assert paid_periods(stipend) == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert paid_periods(_anxin(registration)) == ["2026"]  # different families: both paid


def test_year_edge_a_year_can_be_run_only_once_it_has_ended_in_shanghai():
    settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    still_2026 = datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
    new_year = datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI)  # 2026-12-31 16:00 UTC

    with pytest.raises(SubsidyError) as early:
        payment_run_start(program_code="kq.anxin", period="2026", now=still_2026)
    assert early.value.field == "period"
    assert payment_run_start(program_code="kq.anxin", period="2026", now=new_year).reference_date == date(2026, 12, 31)


@pytest.mark.parametrize("route", ["kq.title", "kq.student_intern", "zj.residence"])
def test_a_newly_employed_graduate_settling_by_any_route_is_paid_the_anxin(route):
    """新增就业高校毕业生落户柯桥区 (绍柯 二(二)4): the route does not matter."""
    anxin = _anxin(settle(route=route, facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2)))

    for year in YEARS:
        pay("kq.anxin", year)

    assert paid_periods(anxin) == ["2026", "2027", "2028"]


def test_a_graduate_employed_for_years_gets_no_anxin_even_by_kq_graduate():
    veteran = {**EMPLOYED_GRADUATE, "birth_date": "1983-01-01", "graduation_date": "2005-07-01",
               "employment": {**EMPLOYED_GRADUATE["employment"], "started_on": "2012-03-01",
                              "first_after_graduation": False}}
    registration = settle(facts=veteran, registered_on=date(2026, 3, 2))
    assert not Entitlement.objects.filter(registration=registration, program__code="kq.anxin").exists()


@pytest.mark.parametrize("employed_on, paid", [
    (date(2027, 6, 29), True),    # graduation (2025-06-30) + 2 years − 1 day
    (date(2027, 7, 1), False),    # + 2 years + 1 day: outside the 择业期
])
def test_a_first_job_recorded_after_the_settlement_within_the_job_seeking_period(employed_on, paid):
    registration = settle(facts=JOBLESS_GRADUATE, registered_on=date(2026, 3, 2))
    record(registration.application.applicant, "employed", employed_on, today=employed_on)

    granted = Entitlement.objects.filter(registration=registration, program__code="kq.anxin").first()
    assert (granted is not None) is paid


def test_a_first_job_outside_keqiao_earns_no_anxin():
    from subsidies.services.facts import fact_event_record

    registration = settle(facts=JOBLESS_GRADUATE, registered_on=date(2026, 3, 2))
    fact_event_record(applicant_id=registration.application.applicant_id, kind="employed",
                      occurred_on=date(2026, 9, 1), actor=None, in_district=False, today=date(2026, 9, 1))
    assert not Entitlement.objects.filter(registration=registration, program__code="kq.anxin").exists()
