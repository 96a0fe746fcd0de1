"""Which routes apply where and when: the jurisdiction tree, exclusions, and the in-force dates.

A route defined on a jurisdiction applies to its sub-jurisdictions unless it excludes them, and only
while its document is in force. The engine returns exactly those routes — no others — for a target
and a date (DESIGN.md, "Route catalogue to seed").
"""

from datetime import date

import pytest

from policies.models import Jurisdiction, PolicyDocument, SettlementRoute
from tests.policies.helpers import evaluate
from tests.policies.route_spec import SOMEONE, route_codes

pytestmark = pytest.mark.django_db

KQ = {"kq.graduate", "kq.vocational", "kq.title", "kq.honor", "kq.manager", "kq.student_intern", "kq.investor",
      "kq.local_student"}
JX = {"jx.owned_residence", "jx.rented_residence", "jx.talent", "jx.vocational", "jx.elderly_join",
      "jx.talent_family_join", "jx.community_collective", "jx.address_lost"}
HZ_CITY = {"hz.college_graduate", "hz.master_first", "hz.technician", "hz.senior_worker", "hz.elderly_join",
           "hz.spouse_join", "hz.points"}
COUNTY = {"hz.county_open"}
ZJ_OUTSIDE_HZ_CITY = {"zj.residence", "zj.parent_join_child", "zj.child_join_parent"}
ZJ_EVERYWHERE = {"zj.household_head_join"}
ZJ = ZJ_OUTSIDE_HZ_CITY | ZJ_EVERYWHERE
COUNTIES = ["hz.tonglu", "hz.chunan", "hz.jiande"]

# 绍柯 2020-02-01, 嘉政 2020-08-01, 杭政 2023-05-08, 浙政 2023-07-07
IN_FORCE_TABLE = [
    ("sx.kq", "2020-01-31", set()),
    ("sx.kq", "2020-02-01", KQ),
    ("sx.kq", "2023-07-06", KQ),
    ("sx.kq", "2023-07-07", KQ | ZJ),
    ("jx", "2020-02-01", set()),
    ("jx", "2020-07-31", set()),
    ("jx", "2020-08-01", JX),
    ("jx", "2023-07-06", JX),
    ("jx", "2023-07-07", JX | ZJ),
    ("hz.city", "2020-08-01", set()),
    ("hz.city", "2023-05-07", set()),
    ("hz.city", "2023-05-08", HZ_CITY),
    ("hz.city", "2023-07-06", HZ_CITY),
    ("hz.city", "2023-07-07", HZ_CITY | ZJ_EVERYWHERE),
    *[(county, "2023-05-07", set()) for county in COUNTIES],
    *[(county, "2023-05-08", COUNTY) for county in COUNTIES],
    *[(county, "2023-07-06", COUNTY) for county in COUNTIES],
    *[(county, "2023-07-07", COUNTY | ZJ) for county in COUNTIES],
    ("sx", "2023-07-06", set()),  # Shaoxing's other districts: no Keqiao route
    ("sx", "2023-07-07", ZJ),
    ("zj", "2023-07-06", set()),
    ("zj", "2023-07-07", ZJ),
    ("sx.kq", "2030-01-01", KQ | ZJ),
]


@pytest.mark.parametrize("jurisdiction, on, expected", IN_FORCE_TABLE,
                         ids=[f"{j}@{d}" for j, d, _ in IN_FORCE_TABLE])
def test_exactly_the_routes_in_force_there_on_that_day(jurisdiction, on, expected):
    result = evaluate(SOMEONE, jurisdiction, on)
    codes = [route["code"] for route in result["routes"]]
    assert len(codes) == len(set(codes)), "a route is listed twice"
    assert set(codes) == expected
    assert result["jurisdiction"] == jurisdiction and result["date"] == on


# --- exclusions and inheritance --------------------------------------------------------------------
def test_hangzhou_city_has_no_settle_where_you_live_nor_relaxed_joining_but_has_household_head_join():
    codes = route_codes("hz.city", "2024-03-01")
    assert codes.isdisjoint(ZJ_OUTSIDE_HZ_CITY)
    assert "zj.household_head_join" in codes
    assert codes == HZ_CITY | ZJ_EVERYWHERE


def test_a_home_in_hangzhou_city_is_not_a_route_but_the_same_home_in_jiaxing_is():
    owner = {**SOMEONE, "residence": {"stable_residence_in_target": True, "kind": "owned"}}
    assert "zj.residence" not in route_codes("hz.city", "2024-03-01", owner)
    jiaxing = {route["code"]: route["eligible"] for route in evaluate(owner, "jx", "2024-03-01")["routes"]}
    assert jiaxing["zj.residence"] is True
    assert jiaxing["jx.owned_residence"] is False  # needs a residence permit or registration too


@pytest.mark.parametrize("county", COUNTIES)
def test_the_three_counties_get_the_open_route_and_the_province_routes_not_the_city_routes(county):
    codes = route_codes(county, "2024-03-01")
    assert codes == COUNTY | ZJ
    assert codes.isdisjoint(HZ_CITY)


def test_keqiao_gets_its_own_routes_and_the_province_routes():
    assert route_codes("sx.kq", "2024-03-01") == KQ | ZJ


def test_jiaxing_gets_its_own_routes_and_the_province_routes():
    assert route_codes("jx", "2024-03-01") == JX | ZJ


def test_city_routes_do_not_leak_to_sibling_cities():
    assert route_codes("jx", "2024-03-01").isdisjoint(KQ | HZ_CITY | COUNTY)
    assert route_codes("sx.kq", "2024-03-01").isdisjoint(JX | HZ_CITY | COUNTY)
    assert route_codes("hz.city", "2024-03-01").isdisjoint(KQ | JX | COUNTY)


def test_an_exclusion_added_in_the_tables_takes_effect_without_code():
    route = SettlementRoute.objects.get(code="zj.residence")
    route.excluded_jurisdictions.add(Jurisdiction.objects.get(code="jx"))
    assert "zj.residence" not in route_codes("jx", "2024-03-01")
    assert "zj.residence" in route_codes("sx.kq", "2024-03-01")


def test_a_document_that_ends_takes_its_routes_with_it():
    document = PolicyDocument.objects.get(number="嘉政办发〔2020〕28号")
    document.in_force_until = date(2024, 12, 31)
    document.save()
    assert route_codes("jx", "2024-12-31") == JX | ZJ  # the last day in force
    assert route_codes("jx", "2025-01-01") == ZJ


# --- followers (随迁) and citations, per DESIGN.md ------------------------------------------------------
KQ_FOLLOWERS = ["spouse", "child", "parent", "spouse_parent"]
CATALOGUE = [
    # code, where it is evaluated, citation, followers
    ("kq.graduate", "sx.kq", "绍柯政办发〔2020〕1号 二(一)1", KQ_FOLLOWERS),
    ("kq.vocational", "sx.kq", "绍柯政办发〔2020〕1号 二(一)1", KQ_FOLLOWERS),
    ("kq.title", "sx.kq", "绍柯政办发〔2020〕1号 二(一)1", KQ_FOLLOWERS),
    ("kq.honor", "sx.kq", "绍柯政办发〔2020〕1号 二(一)1", KQ_FOLLOWERS),
    ("kq.manager", "sx.kq", "绍柯政办发〔2020〕1号 二(一)1", KQ_FOLLOWERS),
    ("kq.student_intern", "sx.kq", "绍柯政办发〔2020〕1号 二(一)1", KQ_FOLLOWERS),
    ("kq.investor", "sx.kq", "绍柯政办发〔2020〕1号 二(一)2", ["spouse", "minor_child"]),
    ("kq.local_student", "sx.kq", "绍柯政办发〔2020〕1号 二(二)4", []),
    ("jx.owned_residence", "jx", "嘉政办发〔2020〕28号 一", ["spouse", "minor_child", "parent"]),
    ("jx.rented_residence", "jx", "嘉政办发〔2020〕28号 一", ["spouse", "minor_child", "parent"]),
    ("jx.talent", "jx", "嘉政办发〔2020〕28号 二", []),
    ("jx.vocational", "jx", "嘉政办发〔2020〕28号 二", []),
    ("jx.elderly_join", "jx", "嘉政办发〔2020〕28号 三", []),
    ("jx.talent_family_join", "jx", "嘉政办发〔2020〕28号 三", []),
    ("jx.community_collective", "jx", "嘉政办发〔2020〕28号 四", ["spouse", "minor_child", "parent"]),
    ("jx.address_lost", "jx", "嘉政办发〔2020〕28号 四", []),
    ("hz.college_graduate", "hz.city", "杭政办函〔2023〕33号 二(一)", []),
    ("hz.master_first", "hz.city", "杭政办函〔2023〕33号 二(一)", []),
    ("hz.technician", "hz.city", "杭政办函〔2023〕33号 二(二)", ["spouse", "minor_child"]),
    ("hz.senior_worker", "hz.city", "杭政办函〔2023〕33号 二(二)", ["spouse", "minor_child"]),
    ("hz.elderly_join", "hz.city", "杭政办函〔2023〕33号 二(三)", []),
    ("hz.spouse_join", "hz.city", "杭政办函〔2023〕33号 二(三)", ["minor_child"]),
    ("hz.points", "hz.city", "杭政办函〔2023〕33号 二(四)", []),
    ("hz.county_open", "hz.chunan", "杭政办函〔2023〕33号 二(五)", []),
    ("zj.residence", "jx", "浙政办发〔2023〕41号 一(二)", []),
    ("zj.parent_join_child", "jx", "浙政办发〔2023〕41号 二(二)", []),
    ("zj.child_join_parent", "jx", "浙政办发〔2023〕41号 二(二)", []),
    ("zj.household_head_join", "hz.city", "浙政办发〔2023〕41号 二(二)", []),
]


def test_the_catalogue_lists_all_28_routes():
    assert {code for code, *_ in CATALOGUE} == KQ | JX | HZ_CITY | COUNTY | ZJ
    assert len(CATALOGUE) == 28


@pytest.mark.parametrize("code, where, citation, followers", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_followers_and_citation_of_each_route(code, where, citation, followers):
    [route] = [r for r in evaluate(SOMEONE, where, "2024-03-01")["routes"] if r["code"] == code]
    assert route["followers"] == followers
    assert route["citation"] == citation
    assert route["conditions"] and all(c["label"] for c in route["conditions"])
