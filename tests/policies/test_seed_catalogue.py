"""The seeded catalogue is the one DESIGN.md lists, every row citing its notice and clause."""

import json
from pathlib import Path

import pytest

from policies.eligibility.facts import SCHEMA_PATH
from policies.models import (
    HousingProgram,
    Jurisdiction,
    PointsScheme,
    PolicyDocument,
    SettlementRoute,
    SubsidyProgram,
    WorkingCalendarDay,
)

ROUTE_CODES = {
    "kq.graduate", "kq.vocational", "kq.title", "kq.honor", "kq.manager", "kq.student_intern", "kq.investor",
    "kq.local_student", "jx.owned_residence", "jx.rented_residence", "jx.talent", "jx.vocational",
    "jx.elderly_join", "jx.talent_family_join", "jx.community_collective", "jx.address_lost",
    "hz.college_graduate", "hz.master_first", "hz.technician", "hz.senior_worker", "hz.elderly_join",
    "hz.spouse_join", "hz.points", "hz.county_open", "zj.residence",
    "zj.parent_join_child", "zj.child_join_parent", "zj.household_head_join",
}


@pytest.mark.django_db
def test_all_28_routes_are_seeded_each_citing_document_and_clause():
    routes = SettlementRoute.objects.select_related("document")

    assert {route.code for route in routes} == ROUTE_CODES
    for route in routes:
        assert route.document.number and route.clause, route.code
        assert route.criteria and all(item["label"] for item in route.criteria), route.code
        assert route.promised_working_days >= 1
        assert route.material_checklist[0]["code"] == "id_card"
        route.full_clean()  # criteria, checklist conditions (when), followers and addresses all validate


@pytest.mark.django_db
def test_jurisdiction_tree_and_documents_are_seeded():
    parents = dict(Jurisdiction.objects.values_list("code", "parent__code"))

    assert parents == {
        "zj": None, "hz": "zj", "hz.city": "hz", "hz.tonglu": "hz", "hz.chunan": "hz", "hz.jiande": "hz",
        "jx": "zj", "sx": "zj", "sx.kq": "sx",
    }
    in_force = dict(PolicyDocument.objects.values_list("number", "in_force_from"))
    assert {number: day.isoformat() for number, day in in_force.items()} == {
        "绍柯政办发〔2020〕1号": "2020-02-01",
        "嘉政办发〔2020〕28号": "2020-08-01",
        "杭政办函〔2023〕33号": "2023-05-08",
        "浙政办发〔2023〕41号": "2023-07-07",
    }


@pytest.mark.django_db
def test_hangzhou_points_scheme_has_the_100_point_line_and_the_notice_indicators():
    scheme = PointsScheme.objects.get(jurisdiction__code="hz.city")
    indicators = {i.code: i for i in scheme.indicators.prefetch_related("bands")}

    assert scheme.threshold == 100
    assert set(indicators) == {"age", "income_tax", "residence_years", "social_insurance_years"}
    assert indicators["income_tax"].max_points == 80
    assert indicators["age"].bands.count() == 3
    assert indicators["income_tax"].bands.count() == 0  # the notice gives no scale: left to the admin


@pytest.mark.django_db
def test_keqiao_subsidy_and_housing_programs_are_seeded_in_fen():
    programs = {p.code: p for p in SubsidyProgram.objects.prefetch_related("stacks_with")}

    assert programs["kq.stipend"].amount_fen == 50_000 and programs["kq.stipend"].max_periods == 6
    assert programs["kq.anxin"].amount_fen == 600_000 and programs["kq.anxin"].max_periods == 3
    assert {p.code for p in programs["kq.stipend"].stacks_with.all()} == {"kq.anxin"}
    assert programs["kq.reward_settler"].commitment_years == 5
    assert programs["kq.reward_employer"].beneficiary == "employer"
    assert HousingProgram.objects.get(code="kq.housing").max_term_months == 72


@pytest.mark.django_db
def test_programs_carry_conditions_not_routes():
    """绍柯 二(二)4–5 pays a person who meets the conditions, whatever the route: no route is named."""
    for program in SubsidyProgram.objects.all():
        program.full_clean()  # the conditions compile, with a label each
        assert program.conditions and all(c["label"] for c in program.conditions)
        assert "settlement.route" not in json.dumps(program.conditions), program.code
    rewards = SubsidyProgram.objects.filter(code__startswith="kq.reward_")
    assert {tuple(p.stops_with) for p in rewards} == {("hukou_moved_out",)}  # an employer change stops nothing


@pytest.mark.django_db
def test_working_calendar_is_seeded_from_chinesecalendar():
    assert WorkingCalendarDay.objects.filter(date="2024-10-01", kind="holiday").exists()
    assert WorkingCalendarDay.objects.filter(date="2024-10-12", kind="workday").exists()


def test_the_project_copy_of_the_facts_schema_equals_the_contract():
    contract = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "facts.schema.json"
    if not contract.exists():
        pytest.skip("../shared is not beside this checkout")
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(contract.read_text())
