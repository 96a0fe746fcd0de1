"""New routes and corrected seed rows reach existing databases (policies 0006), not only fresh ones.

policies 0002 seeds a fresh database from the live seed module; 0005 brings an existing one to the same
catalogue, leaving alone the rows a policy admin has edited. A database at an older seed, migrated,
must equal a fresh one.
"""

import importlib

import pytest
from django.apps import apps

from policies.models import SettlementRoute, SubsidyProgram
from tests.applications.factories import UserFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("policies.migrations.0006_program_conditions_new_routes")
ADDED_BY_ISSUE_9 = ["hz.spouse_join", "jx.community_collective", "jx.address_lost"]


def catalogue_snapshot() -> dict:
    routes = {
        r.code: (r.name, r.clause, r.document_id, r.criteria, r.followers, r.followers_cohabit, r.material_checklist,
                 r.promised_working_days, r.address_options, r.sort_order, r.note, r.active,
                 sorted(j.code for j in r.jurisdictions.all()), sorted(j.code for j in r.excluded_jurisdictions.all()))
        for r in SettlementRoute.objects.prefetch_related("jurisdictions", "excluded_jurisdictions")
    }
    programs = {
        p.code: (p.name, p.amount_fen, p.period, p.max_periods, p.beneficiary, p.family, p.commitment_years,
                 p.conditions, p.starts_with, p.stops_with, p.description, sorted(s.code for s in p.stacks_with.all()))
        for p in SubsidyProgram.objects.prefetch_related("stacks_with")
    }
    return {"routes": routes, "programs": programs}


def _age_the_database() -> None:
    """What a database seeded before this issue holds: no new routes, older criteria, checklists and
    addresses, and programs without rules."""
    SettlementRoute.objects.filter(code__in=ADDED_BY_ISSUE_9).delete()
    for route in SettlementRoute.objects.all():
        route.criteria = route.criteria[1:] or route.criteria
        route.material_checklist = [item for item in route.material_checklist if "when" not in item]
        route.address_options = route.address_options[:1]
        route.followers_cohabit = False
        route.save()
    SubsidyProgram.objects.update(conditions=[], starts_with=[], stops_with=["employer_changed"], description="旧文本")


def test_a_migrated_database_equals_a_fresh_one():
    fresh = catalogue_snapshot()
    _age_the_database()
    assert catalogue_snapshot() != fresh

    MIGRATION.bring_to_seed(apps, None)

    assert catalogue_snapshot() == fresh


def test_the_migration_changes_nothing_on_a_fresh_database():
    fresh = catalogue_snapshot()
    MIGRATION.bring_to_seed(apps, None)
    assert catalogue_snapshot() == fresh


def test_a_row_the_policy_admin_edited_is_left_as_edited_and_changes_are_in_history():
    route = SettlementRoute.objects.get(code="kq.graduate")
    route.note = "管理员补充的说明"
    route._history_user = UserFactory(is_staff=True)
    route.save()
    _age_the_database()

    MIGRATION.bring_to_seed(apps, None)

    edited = SettlementRoute.objects.get(code="kq.graduate")
    assert edited.note == "管理员补充的说明"
    assert len(edited.address_options) == 1  # left as the database had it
    restored = SettlementRoute.objects.get(code="kq.title")
    assert restored.history.filter(history_change_reason=MIGRATION.REASON, history_type="~").exists()
    assert SettlementRoute.objects.get(code="hz.spouse_join").history.filter(history_type="+").exists()
