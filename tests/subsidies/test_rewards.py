"""用人单位引导落户奖励 (绍柯 二(二)5): an employer-guided settler who commits not to move the hukou out of
the district for 5 years is paid 500 yuan once, and so is the employer; a move-out within the five years
flags both for recovery and lists them for finance."""

from datetime import date, datetime

import pytest
from django.utils import translation

from subsidies.errors import SubsidyError
from subsidies.models import AuditEntry, Commitment, Employer, Entitlement, Payment
from subsidies.periods import SHANGHAI
from subsidies.selectors import payments_for_review
from subsidies.services.employers import commitment_employer_set, employer_register
from subsidies.services.recovery import commitments_check, payment_recovery_resolve
from tests.subsidies.factories import (
    EMPLOYED_GRADUATE,
    JOBLESS_GRADUATE,
    credit_code,
    paid_periods,
    pay,
    record,
    settle,
)

pytestmark = pytest.mark.django_db

REWARDS = ("kq.reward_employer", "kq.reward_settler")
SOON = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)


def _rewarded_settler(finance, registered_on=date(2026, 3, 2)):
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=registered_on)
    commitment = Commitment.objects.get(registration=registration)
    commitment_employer_set(commitment_id=commitment.pk, uscc=credit_code(7), name="柯桥某纺织有限公司", actor=finance,
                            today=registered_on)
    return registration, commitment


def _rewards(registration):
    return {e.program.code: e for e in Entitlement.objects.filter(registration=registration, program__code__in=REWARDS)}


def test_an_employed_settler_makes_a_five_year_commitment_with_two_rewards(finance):
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))

    commitment = Commitment.objects.get(registration=registration)
    assert (commitment.starts_on, commitment.ends_on, commitment.status) == (date(2026, 3, 2), date(2031, 3, 2),
                                                                             "in_force")
    rewards = _rewards(registration)
    assert set(rewards) == set(REWARDS)
    assert {e.amount_fen for e in rewards.values()} == {50_000} and {e.max_periods for e in rewards.values()} == {1}
    assert rewards["kq.reward_employer"].beneficiary == "employer"


def test_no_employer_no_reward():
    registration = settle(facts=JOBLESS_GRADUATE)

    assert not Commitment.objects.filter(registration=registration).exists()
    assert not _rewards(registration)


def test_the_rewards_wait_for_the_guiding_employer_then_are_paid_once_each(finance):
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    assert pay("kq.reward_settler", now=SOON).inserted == 0  # employer not recorded yet

    commitment = Commitment.objects.get(registration=registration)
    commitment_employer_set(commitment_id=commitment.pk, uscc=credit_code(7), name="柯桥某纺织有限公司", actor=finance)
    for day in (10, 11, 12):
        for code in REWARDS:
            pay(code, now=SOON.replace(day=day))

    rewards = _rewards(registration)
    assert paid_periods(rewards["kq.reward_settler"]) == ["once"]
    assert paid_periods(rewards["kq.reward_employer"]) == ["once"]
    assert rewards["kq.reward_employer"].payments.get().amount_fen == 50_000
    employer_entitlement = Entitlement.objects.get(pk=rewards["kq.reward_employer"].pk)
    assert employer_entitlement.employer.uscc == credit_code(7)


@pytest.mark.parametrize("code, message", [
    ("91330621MA2B1234", "统一社会信用代码应为 18 位。"),
    ("9133062I0000000070", "统一社会信用代码前 8 位为数字"),  # I is not in the alphabet of the code
    (credit_code(4)[:-1] + ("0" if credit_code(4)[-1] != "0" else "1"), "统一社会信用代码校验码不正确。"),
])
def test_the_unified_social_credit_code_is_checked_with_python_stdnum(finance, code, message):
    with translation.override("zh-hans"), pytest.raises(SubsidyError) as bad:
        employer_register(uscc=code, name="某公司", actor=finance)

    assert bad.value.field == "employer_uscc"
    assert bad.value.message.startswith(message)
    assert not Employer.objects.exists()


def test_a_valid_credit_code_registers_the_employer_once(finance):
    first = employer_register(uscc=credit_code(3).lower(), name="甲公司", actor=finance)
    again = employer_register(uscc=credit_code(3), name="", actor=finance)

    assert first.pk == again.pk and first.uscc == credit_code(3)
    assert AuditEntry.objects.filter(action="employer_create", target_id=first.pk).count() == 1


def test_moving_out_within_five_years_flags_both_rewards_for_recovery(finance, clerk):
    registration, commitment = _rewarded_settler(finance)
    for code in REWARDS:
        pay(code, now=SOON)

    record(registration.application.applicant, "hukou_moved_out", date(2031, 3, 1), actor=clerk)  # one day short

    commitment.refresh_from_db()
    assert commitment.status == "broken" and commitment.broken_on == date(2031, 3, 1)
    flagged = list(payments_for_review())
    assert sorted(p.entitlement.program.code for p in flagged) == sorted(REWARDS)
    assert all("五年内迁出" in p.recovery_reason for p in flagged)
    assert AuditEntry.objects.filter(action="payment_recovery_flag").count() == 2

    assert payment_recovery_resolve(payment_ids=[p.pk for p in flagged], outcome="recovered", actor=finance) == 2
    assert not payments_for_review().exists()
    assert set(Payment.objects.values_list("recovery_status", flat=True)) == {"recovered"}


def test_a_move_out_after_five_years_keeps_the_commitment(finance, clerk):
    registration, commitment = _rewarded_settler(finance)
    for code in REWARDS:
        pay(code, now=SOON)

    assert commitments_check(today=date(2031, 3, 1)) == {"broken": 0, "kept": 0}
    assert commitments_check(today=date(2031, 3, 2)) == {"broken": 0, "kept": 1}
    record(registration.application.applicant, "hukou_moved_out", date(2031, 3, 2), actor=clerk)

    commitment.refresh_from_db()
    assert commitment.status == "kept"
    assert not payments_for_review().exists()


def test_a_move_out_before_the_rewards_are_paid_means_they_are_never_paid(finance, clerk):
    registration, commitment = _rewarded_settler(finance)
    record(registration.application.applicant, "hukou_moved_out", date(2026, 3, 5), actor=clerk, today=date(2026, 3, 5))

    for code in REWARDS:
        pay(code, now=SOON)

    assert not Payment.objects.exists()


def test_revoking_a_move_out_recorded_in_error_takes_the_flags_back(finance, clerk):
    from subsidies.services.facts import fact_event_revoke

    registration, commitment = _rewarded_settler(finance)
    for code in REWARDS:
        pay(code, now=SOON)
    event = record(registration.application.applicant, "hukou_moved_out", date(2027, 1, 5), actor=clerk)

    fact_event_revoke(event_id=event.pk, actor=clerk, reason="录错了人", today=date(2027, 1, 6))

    commitment.refresh_from_db()
    assert commitment.status == "in_force" and commitment.broken_on is None
    assert not payments_for_review().exists()


def test_an_employer_change_stops_nothing(finance, clerk):
    """绍柯 二(二)5 rewards a settlement the employer guided, kept by the hukou staying in the district:
    a later change of employer stops neither reward nor flags anything."""
    registration, commitment = _rewarded_settler(finance)
    record(registration.application.applicant, "employer_changed", date(2026, 3, 5), actor=clerk,
           today=date(2026, 3, 5))

    for code in REWARDS:
        pay(code, now=SOON)

    rewards = _rewards(registration)
    assert paid_periods(rewards["kq.reward_settler"]) == ["once"]
    assert paid_periods(rewards["kq.reward_employer"]) == ["once"]
    assert all(reward.stops_on is None for reward in rewards.values())
    assert not payments_for_review().exists()


def test_a_settlement_by_a_province_route_guided_by_a_keqiao_employer_is_rewarded(finance):
    """绍柯 二(二)5 names no route: zj.residence (浙政 一(二)) into Keqiao counts like any other."""
    registration = settle(route="zj.residence", facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    commitment = Commitment.objects.get(registration=registration)
    commitment_employer_set(commitment_id=commitment.pk, uscc=credit_code(8), name="柯桥某印染有限公司",
                            actor=finance, today=date(2026, 3, 2))

    for code in REWARDS:
        pay(code, now=SOON)

    rewards = _rewards(registration)
    assert set(rewards) == set(REWARDS)
    assert all(paid_periods(reward) == ["once"] for reward in rewards.values())
    assert commitment.ends_on == date(2031, 3, 2)


@pytest.mark.parametrize("moved_out_on, broken", [
    (date(2031, 3, 1), True),   # 4 years 364 days after 2026-03-02: inside the five years
    (date(2031, 3, 2), False),  # the fifth anniversary: the commitment was kept
], ids=["4y364d", "5y"])
def test_move_out_boundary_of_the_five_years(finance, clerk, moved_out_on, broken):
    registration, commitment = _rewarded_settler(finance)
    for code in REWARDS:
        pay(code, now=SOON)
    record(registration.application.applicant, "hukou_moved_out", moved_out_on, actor=clerk)

    commitment.refresh_from_db()
    assert (commitment.status == "broken") is broken
    flagged = set(payments_for_review().values_list("entitlement__program__code", flat=True))
    assert flagged == (set(REWARDS) if broken else set())
