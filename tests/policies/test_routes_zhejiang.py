"""浙江省 (zj): the four routes of 浙政办发〔2023〕41号 (in force from its date of issue, 2023-07-07),
and its rule that social-insurance months transferred from the Yangtze River Delta count with the
local ones (二(三)) — from that date, and for every route except Hangzhou's skilled routes.

Three of the four routes apply everywhere in the province except Hangzhou's city area; the specs run
them in a Keqiao district, a prefecture city (Jiaxing) and one of Hangzhou's counties.
"""

import pytest

from tests.policies.route_spec import (
    ABSENT,
    NOT_REGISTERED_THERE,
    already_registered_flips,
    assert_eligible,
    assert_fails_only,
    check_flip_table,
    flip_id,
    outcome,
    route_codes,
    with_fact,
)

pytestmark = pytest.mark.django_db

ON = "2024-03-01"
IN_FORCE = "2023-07-07"
TARGETS = ["sx.kq", "jx", "hz.tonglu"]

STABLE_RESIDENCE = "在落户地城镇有合法稳定住所（含租赁）"
JOINS_ADULT_CHILD = "投靠成年子女"
CHILD_HAS_HOME = "被投靠子女有合法稳定住所（不受年龄限制）"
JOINS_PARENT = "投靠父母"
UNMARRIED = "本人未婚"
PARENT_HAS_HOME = "被投靠父母有合法稳定住所"
SAME_CITY = "在同一设区市内迁移"
HOUSEHOLD_HEAD = "被投靠人是城镇地区家庭户户主"
HEAD_RELATIVE = "本人是户主的直系亲属、配偶、配偶的直系亲属或子女的配偶"

BASELINES = {
    # rents a flat where she lives (浙政 一(二): 含租赁)
    "zj.residence": {
        "birth_date": "1991-09-09", "sex": "F",
        "residence": {"stable_residence_in_target": True, "kind": "rented"},
    },
    # a 48-year-old father joining his adult son who owns a flat: no age limit
    "zj.parent_join_child": {
        "birth_date": "1975-10-10", "sex": "M",
        "joining": {"relation": "parent", "sponsor_adult": True, "sponsor_has_stable_residence": True},
    },
    # an unmarried 30-year-old daughter joining her parents
    "zj.child_join_parent": {
        "birth_date": "1994-02-02", "sex": "F", "marital_status": "single",
        "joining": {"relation": "child", "sponsor_has_stable_residence": True},
    },
    # a son-in-law moving, inside the same city, into the household his father-in-law heads
    "zj.household_head_join": {
        "birth_date": "1989-12-12", "sex": "M", "marital_status": "married",
        "joining": {"relation": "child_spouse", "within_same_city": True, "sponsor_is_household_head": True},
    },
}

FLIPS = [
    ("zj.residence", "residence.stable_residence_in_target", False, STABLE_RESIDENCE),
    ("zj.parent_join_child", "joining.relation", "child", JOINS_ADULT_CHILD),
    ("zj.parent_join_child", "joining.sponsor_adult", False, JOINS_ADULT_CHILD),
    ("zj.parent_join_child", "joining.sponsor_has_stable_residence", False, CHILD_HAS_HOME),
    ("zj.child_join_parent", "joining.relation", "parent", JOINS_PARENT),
    ("zj.child_join_parent", "marital_status", "married", UNMARRIED),
    ("zj.child_join_parent", "joining.sponsor_has_stable_residence", False, PARENT_HAS_HOME),
    ("zj.household_head_join", "joining.within_same_city", False, SAME_CITY),
    ("zj.household_head_join", "joining.sponsor_is_household_head", False, HOUSEHOLD_HEAD),
    ("zj.household_head_join", "joining.relation", ABSENT, HEAD_RELATIVE),
    *already_registered_flips(BASELINES),
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("code", sorted(BASELINES))
def test_baseline_passes(code, target):
    route = assert_eligible(BASELINES[code], code, target, ON)
    assert route["followers"] == []
    assert route["citation"].startswith("浙政办发〔2023〕41号 ")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", FLIPS, ids=flip_id)
def test_one_fact_flipped_fails_exactly_that_condition(case, target):
    code, path, value, label = case
    assert_fails_only(with_fact(BASELINES[code], path, value), code, target, ON, label)


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_every_condition_has_a_failing_case(code):
    check_flip_table(BASELINES, FLIPS, "jx", ON, code)


# --- alternatives -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["owned", "rented", None])
def test_residence_owned_or_rented(kind):
    assert_eligible(with_fact(BASELINES["zj.residence"], "residence.kind", kind), "zj.residence", "jx", ON)


@pytest.mark.parametrize("birth_date", ["1990-01-01", "1940-01-01"])
def test_parent_join_child_has_no_age_limit(birth_date):
    facts = with_fact(BASELINES["zj.parent_join_child"], "birth_date", birth_date)
    assert_eligible(facts, "zj.parent_join_child", "sx.kq", ON)


@pytest.mark.parametrize(
    "marital_status, ok",
    [
        ("single", True),
        (ABSENT, True),  # not declared: unmarried
        ("married", False),
        ("divorced", False),  # DESIGN: unmarried is `single` (or absent) — not divorced or widowed
        ("widowed", False),
    ],
    ids=lambda v: "absent" if v is ABSENT else str(v),
)
def test_child_join_parent_only_unmarried(marital_status, ok):
    facts = with_fact(BASELINES["zj.child_join_parent"], "marital_status", marital_status)
    if ok:
        assert_eligible(facts, "zj.child_join_parent", "jx", ON)
    else:
        assert_fails_only(facts, "zj.child_join_parent", "jx", ON, UNMARRIED)


@pytest.mark.parametrize(
    "relation", ["parent", "child", "lineal_relative", "spouse", "spouse_lineal_relative", "child_spouse"]
)
@pytest.mark.parametrize("target", ["jx", "sx.kq", "hz.city", "hz.jiande"])
def test_household_head_join_every_relation_the_notice_lists(relation, target):
    facts = with_fact(BASELINES["zj.household_head_join"], "joining.relation", relation)
    assert_eligible(facts, "zj.household_head_join", target, ON)


def test_household_head_join_without_any_joining_fails_every_condition():
    facts = with_fact(BASELINES["zj.household_head_join"], "joining", None)
    route = outcome(facts, "zj.household_head_join", "jx", ON)
    assert route["eligible"] is False
    assert [c["label"] for c in route["conditions"] if not c["ok"]] == [SAME_CITY, HOUSEHOLD_HEAD, HEAD_RELATIVE]


# --- YRD social-insurance months count from 2023-07-07 (浙政 二(三)) -------------------------------
KQ = "sx.kq"
KQ_TITLE = {
    "birth_date": "1990-01-01", "sex": "M", "hukou": {"in_target_city": False}, "professional_title": "junior",
    "employment": {"employed": True, "in_target": True, "contract_months": 12},
}
KQ_MANAGER = {
    "birth_date": "1980-01-01", "sex": "M", "hukou": {"in_target_city": False},
    "employment": {"employed": True, "in_target": True, "manager_at_above_scale_enterprise": True},
}


@pytest.mark.parametrize(
    "on, ok", [("2023-07-06", False), (IN_FORCE, True), ("2024-03-01", True)]
)
def test_keqiao_title_counts_yrd_months_from_the_province_notice(on, ok):
    facts = with_fact(KQ_TITLE, "social_insurance", {"local_months": 1, "yrd_transferred_months": 2})
    if ok:
        assert_eligible(facts, "kq.title", KQ, on)
    else:
        assert_fails_only(facts, "kq.title", KQ, on, "缴纳社会保险3个月及以上")


@pytest.mark.parametrize(
    "insurance, on, ok",
    [
        ({"local_months": 6, "yrd_transferred_months": 6}, "2023-07-06", False),
        ({"local_months": 6, "yrd_transferred_months": 6}, IN_FORCE, True),
        ({"local_months": 0, "yrd_transferred_months": 12}, IN_FORCE, True),
        ({"local_months": 6, "yrd_transferred_months": 5}, IN_FORCE, False),
        ({"local_months": 12}, "2023-07-06", True),
    ],
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else str(v),
)
def test_keqiao_manager_counts_yrd_months_from_the_province_notice(insurance, on, ok):
    facts = with_fact(KQ_MANAGER, "social_insurance", insurance)
    if ok:
        assert_eligible(facts, "kq.manager", KQ, on)
    else:
        assert_fails_only(facts, "kq.manager", KQ, on, "实际工作并缴纳社会保险满一年")


@pytest.mark.parametrize("on", ["2023-07-06", IN_FORCE, "2025-01-01"])
def test_hangzhou_skilled_routes_never_count_yrd_months(on):
    facts = {
        "birth_date": "1990-01-01", "sex": "M", "vocational_level": "level2",
        "employment": {"employed": True, "in_target": True},
        "social_insurance": {"local_months": 5, "yrd_transferred_months": 36},
        "residence": {"stable_residence_in_target": True},
    }
    assert_fails_only(facts, "hz.technician", "hz.city", on, "由工作单位正常缴纳社会保险6个月及以上（不含补缴）")


# --- in force ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["zj", *TARGETS])
@pytest.mark.parametrize("code", sorted(BASELINES))
def test_province_routes_absent_the_day_before_and_present_on_7_july_2023(code, target):
    assert code not in route_codes(target, "2023-07-06", BASELINES[code])
    assert_eligible(BASELINES[code], code, target, IN_FORCE)


def test_route_result_shape_for_a_province_route():
    route = outcome(BASELINES["zj.residence"], "zj.residence", "jx", ON)
    assert route == {
        "code": "zj.residence",
        "name": "有合法稳定住所（含租赁）在居住地落户",
        "citation": "浙政办发〔2023〕41号 一(二)",
        "eligible": True,
        "followers": [],
        "conditions": [{"label": NOT_REGISTERED_THERE, "ok": True}, {"label": STABLE_RESIDENCE, "ok": True}],
        "programs": [],  # Jiaxing has no subsidy program
    }


def test_facts_without_joining_are_valid_and_fail_the_joining_routes():
    facts = BASELINES["zj.residence"]
    for code in ("zj.parent_join_child", "zj.child_join_parent", "zj.household_head_join"):
        assert outcome(facts, code, "jx", ON)["eligible"] is False
