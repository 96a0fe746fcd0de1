"""Property (Hypothesis): for any sequence of facts recorded or revoked and payment runs, in any order,
the total paid on an entitlement never exceeds its program's cap, no period is paid twice, one program
per family is paid to a person, and a run pays only entitlements in force on the period's reference date."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subsidies.errors import SubsidyError
from subsidies.models import Commitment, Entitlement, FactEvent, Payment
from subsidies.services.employers import commitment_employer_set
from subsidies.services.facts import fact_event_record, fact_event_revoke
from tests.subsidies.factories import EMPLOYED_GRADUATE, LOCAL_STUDENT, credit_code, pay, program_like, settle

TODAY = date(2031, 6, 1)
SETTLED = date(2026, 3, 2)
MONTHS = [f"{y}-{m:02d}" for y in range(2026, 2029) for m in range(1, 13)][2:]
YEARS = ["2026", "2027", "2028", "2029", "2030"]
KINDS = ["graduated", "employed", "employer_changed", "hukou_moved_out"]

facts = st.tuples(st.just("fact"), st.integers(0, 1), st.sampled_from(KINDS), st.integers(0, 4 * 365))
revokes = st.tuples(st.just("revoke"), st.integers(0, 20))
monthly = st.tuples(st.just("run"), st.sampled_from(["kq.stipend", "sx.stipend_alt"]), st.sampled_from(MONTHS))
yearly = st.tuples(st.just("run"), st.just("kq.anxin"), st.sampled_from(YEARS))
once = st.tuples(st.just("run"), st.sampled_from(["kq.reward_settler", "kq.reward_employer"]), st.just("once"))
operations = st.lists(st.one_of(facts, revokes, monthly, monthly, yearly, once), min_size=1, max_size=25)


def _people(alt_amount: int):
    program_like("kq.stipend", "sx.stipend_alt", amount_fen=alt_amount, max_periods=4, family="kq.stipend")
    student = settle(route="kq.local_student", facts=LOCAL_STUDENT, registered_on=SETTLED, today=SETTLED)
    worker = settle(facts=EMPLOYED_GRADUATE, registered_on=SETTLED, today=SETTLED)
    commitment = Commitment.objects.get(registration=worker)
    commitment_employer_set(commitment_id=commitment.pk, uscc=credit_code(1), name="某公司", actor=None, today=TODAY)
    return [student.application.applicant, worker.application.applicant]


def _check_invariants(people) -> None:
    entitlements = Entitlement.objects.filter(applicant__in=people).annotate(
        n=Count("payments"), fen=Sum("payments__amount_fen"), periods=Count("payments__period", distinct=True))
    for e in entitlements:
        assert e.n <= e.max_periods, f"{e.program.code}: {e.n} payments, cap {e.max_periods}"
        assert (e.fen or 0) <= e.amount_fen * e.max_periods
        assert e.periods == e.n, "a period paid twice"
    per_family = Payment.objects.filter(applicant__in=people).values("applicant", "family", "period").annotate(
        n=Count("id"))
    assert all(row["n"] == 1 for row in per_family)
    programs_paid = Payment.objects.filter(applicant__in=people).values("applicant", "family").annotate(
        n=Count("entitlement", distinct=True))
    assert all(row["n"] == 1 for row in programs_paid), "two programs of one family paid to one person"


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(alt_amount=st.sampled_from([30_000, 50_000, 80_000]), steps=operations)
def test_any_sequence_of_facts_and_runs_keeps_caps_and_pays_no_period_twice(alt_amount, steps):
    with transaction.atomic():
        people = _people(alt_amount)
        for step in steps:
            if step[0] == "fact":
                _, who, kind, offset = step
                try:
                    fact_event_record(applicant_id=people[who].pk, kind=kind, occurred_on=SETTLED + timedelta(offset),
                                      actor=None, today=TODAY)
                except SubsidyError:
                    pass  # e.g. the same fact twice on one day: refused, nothing changed
            elif step[0] == "revoke":
                events = list(FactEvent.objects.filter(applicant__in=people, revoked_at__isnull=True).order_by("id"))
                if events:
                    fact_event_revoke(event_id=events[step[1] % len(events)].pk, actor=None, reason="录入错误",
                                      today=TODAY)
            else:
                _, program, period = step
                run = pay(program, None if period == "once" else period)
                for payment in run.payments.select_related("entitlement"):
                    assert payment.entitlement.in_force_on(payment.reference_date)
                    assert payment.amount_fen == payment.entitlement.amount_fen
            _check_invariants(people)
        transaction.set_rollback(True)
