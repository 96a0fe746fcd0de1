"""Entitlements made before programs had conditions (subsidies 0004): their frozen terms stay, their
basis says they came from the old route list, and an employer's reward stopped only by an employer
change is open again (绍柯 二(二)5 depends on the hukou staying, not on the job)."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from policies.models import SubsidyProgram
from subsidies.models import Entitlement
from tests.subsidies.factories import EMPLOYED_GRADUATE, paid_periods, pay, record, settle

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("subsidies.migrations.0004_entitlement_basis")


def _as_before_the_change(registration, *, employer_changed_on=None):
    """What an entitlement created under the route list looked like: no basis; the employer's reward
    stopped by an employer change."""
    Entitlement.objects.filter(registration=registration).update(basis=[])
    if employer_changed_on:
        Entitlement.objects.filter(registration=registration, program__code="kq.reward_employer").update(
            stops_on=employer_changed_on, stop_reason=f"更换用人单位（{employer_changed_on:%Y-%m-%d}）")


def test_existing_entitlements_keep_their_terms_and_record_where_they_came_from():
    registration = settle(route="kq.title", facts=EMPLOYED_GRADUATE)
    _as_before_the_change(registration)
    SubsidyProgram.objects.filter(code="kq.anxin").update(amount_fen=700_000)  # the policy changed since
    before = list(Entitlement.objects.filter(registration=registration).values_list(
        "program__code", "amount_fen", "max_periods", "period_kind", "family", "beneficiary").order_by("id"))

    MIGRATION.freeze_existing(apps, None)

    after = Entitlement.objects.filter(registration=registration).order_by("id")
    assert list(after.values_list("program__code", "amount_fen", "max_periods", "period_kind", "family",
                                  "beneficiary")) == before
    assert all(e.basis == [{"label": "按原补贴途径名单产生（落户途径 kq.title），保留原享受条件", "ok": True}]
               for e in after)


@pytest.mark.parametrize("moved_out_on, stops_on", [(None, None), (date(2027, 5, 1), date(2027, 5, 1))])
def test_a_reward_stopped_only_by_an_employer_change_is_open_again(finance, moved_out_on, stops_on):
    from subsidies.models import Commitment
    from subsidies.services.employers import commitment_employer_set
    from tests.subsidies.factories import credit_code

    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    commitment_employer_set(commitment_id=Commitment.objects.get(registration=registration).pk,
                            uscc=credit_code(9), name="某公司", actor=finance, today=date(2026, 3, 2))
    if moved_out_on:
        record(registration.application.applicant, "hukou_moved_out", moved_out_on)
    _as_before_the_change(registration, employer_changed_on=date(2026, 3, 5))

    MIGRATION.freeze_existing(apps, None)

    reward = Entitlement.objects.get(registration=registration, program__code="kq.reward_employer")
    assert reward.stops_on == stops_on
    if stops_on is None:
        pay("kq.reward_employer", "once")
        assert paid_periods(reward) == ["once"]


def test_the_data_migration_is_one_update_per_route_not_per_entitlement(django_assert_max_num_queries):
    for _ in range(3):
        _as_before_the_change(settle(facts=EMPLOYED_GRADUATE))  # 3 settlers, 9 entitlements, one route
    with django_assert_max_num_queries(3):  # the routes, one UPDATE, the employer-change stops
        MIGRATION.freeze_existing(apps, None)
    assert not Entitlement.objects.filter(basis=[]).exists()
