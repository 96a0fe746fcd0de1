"""生活资助 (kq.stipend, 绍柯 二(二)4): 500 yuan a month to a settled local student who has graduated and
has no job, at most 6 months; it stops for good at employment or move-out."""

from datetime import date

import pytest

from subsidies.models import Entitlement, Payment
from tests.subsidies.factories import LOCAL_STUDENT, paid_periods, pay, record, settle

pytestmark = pytest.mark.django_db

MONTHS = [f"2026-{m:02d}" for m in range(6, 13)] + ["2027-01"]


def _student():
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT, registered_on=date(2026, 3, 2))
    applicant = registration.application.applicant
    return applicant, Entitlement.objects.get(applicant=applicant, program__code="kq.stipend")


def test_a_local_student_holds_a_stipend_that_waits_for_graduation():
    applicant, stipend = _student()

    assert stipend.amount_fen == 50_000 and stipend.max_periods == 6 and stipend.period_kind == "month"
    assert stipend.starts_on is None
    assert pay("kq.stipend", "2026-04").inserted == 0  # enrolled: nothing yet


def test_the_stipend_pays_from_graduation_and_stops_after_six_payments():
    applicant, stipend = _student()
    record(applicant, "graduated", date(2026, 6, 20))

    for month in MONTHS:
        pay("kq.stipend", month)

    assert paid_periods(stipend) == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert sum(stipend.payments.values_list("amount_fen", flat=True)) == 6 * 50_000 == 300_000


def test_the_stipend_stops_for_good_at_employment():
    applicant, stipend = _student()
    record(applicant, "graduated", date(2026, 6, 20))
    pay("kq.stipend", "2026-06")
    pay("kq.stipend", "2026-07")
    record(applicant, "employed", date(2026, 8, 10), today=date(2026, 8, 10))

    for month in MONTHS:
        pay("kq.stipend", month)

    assert paid_periods(stipend) == ["2026-06", "2026-07"]  # employed during August: August is not paid
    stipend.refresh_from_db()
    assert stipend.stops_on == date(2026, 8, 10) and "就业" in stipend.stop_reason


def test_a_stipend_never_starts_for_a_student_employed_before_graduating():
    applicant, stipend = _student()
    record(applicant, "employed", date(2026, 5, 1))
    record(applicant, "graduated", date(2026, 6, 20))

    for month in MONTHS:
        pay("kq.stipend", month)

    assert paid_periods(stipend) == []


def test_moving_out_stops_the_stipend():
    applicant, stipend = _student()
    record(applicant, "graduated", date(2026, 6, 20))
    record(applicant, "hukou_moved_out", date(2026, 9, 1))

    for month in MONTHS:
        pay("kq.stipend", month)

    assert paid_periods(stipend) == ["2026-06", "2026-07", "2026-08"]


@pytest.mark.parametrize("employed_on, march_paid", [
    (date(2026, 3, 31), False),  # the last day of the month: not in force on the reference date
    (date(2026, 4, 1), True),    # the first day of the next: March was a jobless month
])
def test_month_edge_a_stop_on_the_last_day_of_the_month_keeps_that_month_unpaid(employed_on, march_paid):
    applicant, stipend = _student()
    record(applicant, "graduated", date(2026, 3, 2))
    record(applicant, "employed", employed_on)

    pay("kq.stipend", "2026-03")
    pay("kq.stipend", "2026-04")

    assert paid_periods(stipend) == (["2026-03"] if march_paid else [])


def test_a_second_run_of_the_same_period_adds_nothing():
    applicant, stipend = _student()
    record(applicant, "graduated", date(2026, 6, 20))

    first = pay("kq.stipend", "2026-06")
    second = pay("kq.stipend", "2026-06")

    assert (first.inserted, second.inserted) == (1, 0)
    assert second.pk != first.pk and second.processed == first.processed == 1
    assert Payment.objects.filter(entitlement=stipend).count() == 1


def test_a_backdated_employment_flags_the_months_already_paid_after_it():
    applicant, stipend = _student()
    record(applicant, "graduated", date(2026, 6, 20))
    for month in ("2026-06", "2026-07", "2026-08"):
        pay("kq.stipend", month)

    record(applicant, "employed", date(2026, 7, 15), today=date(2026, 9, 5))  # learnt late

    flagged = dict(stipend.payments.values_list("period", "recovery_status"))
    assert flagged == {"2026-06": "none", "2026-07": "due", "2026-08": "due"}
