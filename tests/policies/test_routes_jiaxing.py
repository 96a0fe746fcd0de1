"""嘉兴市 (jx): the eight routes of 嘉政办发〔2020〕28号, in force from 2020-08-01.

Each route has a passing baseline; every flip changes exactly one fact of it and names the one
condition that must then fail. Boundaries: "连续居住3年及以上" is 36 months or more; "毕业后15年内"
includes the 15th anniversary of graduation; "年满60/55周岁" is reached on the birthday; a minor
child is under 18.
"""

import pytest

from tests.policies.route_spec import (
    ABSENT,
    NOT_REGISTERED_THERE,
    already_registered_flips,
    assert_eligible,
    assert_fails_only,
    born_day_before_turning,
    born_turning,
    check_flip_table,
    flip_id,
    materials,
    outcome,
    route_codes,
    with_fact,
    with_facts,
)

pytestmark = pytest.mark.django_db

JX = "jx"
ON = "2024-03-01"
IN_FORCE = "2020-08-01"  # 嘉政: 本通知中相关户口迁移政策自2020年8月1日起施行

OWNED_HOME = "在城区（城镇）范围内有自有合法稳定住所"
PERMIT_OR_REGISTRATION = "持有《浙江省居住证》或办理居住登记"
RENTED_HOME = "租赁城区（城镇）商品住房"
THREE_YEARS = "在市本级或同一县（市）范围内已连续居住3年及以上"
TALENT = "大专及以上学历，或中级及以上职称，或技师及以上国家职业资格"
SECONDARY_VOCATIONAL = "中等职业学校（含技校）毕业"
WITHIN_15_YEARS = "毕业后15年内"
CONTRACT_OR_BUSINESS = "与本市企事业单位签订劳动（聘用）合同，或在本地经商办企业"
PERMIT = "在居住地取得《浙江省居住证》"
JOINS_ADULT_CHILD = "投靠成年子女"
CHILD_URBAN_HUKOU = "被投靠子女户口在城区（城镇）"
CHILD_OR_SELF_HOME = "被投靠子女或本人有合法稳定住所"
ELDERLY_AGE = "男性年满60周岁、女性年满55周岁；或与子女共同居住生活并持有居住证（不受年龄限制）"
SENIOR_TALENT = "被投靠人具有硕士以上学历、副高以上职称或高级技师以上职业资格"
SPONSOR_COLLECTIVE = "被投靠人已落户在集体户或亲友处"
CLOSE_FAMILY = "本人是被投靠人的配偶、未成年子女或父母"
OWNER_CONSENTS = "户口登记地房主（单位、主管部门）同意"
RURAL = "农业转移人员（农村户口）"
FIVE_YEARS_OR_FAMILY = "在城镇就业居住5年以上，或举家迁徙"
NO_OWN_HOME = "在城镇无自有合法住所"
REGISTERED_HERE = "户口现在嘉兴城区（城镇）"
ADDRESS_LOST = "因土地征收、房屋征迁、房屋产权转移、离婚等原因失去现户口所在地址登记条件"
NO_HOME_HERE = "在本地无合法住所"

ELDERLY_JOINING = {
    "relation": "parent", "sponsor_adult": True, "sponsor_hukou_in_target_urban_area": True,
    "sponsor_has_stable_residence": True,
}
TALENT_JOINING = {
    "relation": "spouse", "sponsor_is_senior_talent": True, "sponsor_in_collective_household": True,
    "owner_consents": True,
}

BASELINES = {
    # bought a flat in Nanhu district, holds a residence permit
    "jx.owned_residence": {
        "birth_date": "1988-04-12", "sex": "M",
        "residence": {"stable_residence_in_target": True, "kind": "owned", "permit": True},
    },
    # has rented a commercial flat for exactly three years, registered there
    "jx.rented_residence": {
        "birth_date": "1990-11-02", "sex": "F",
        "residence": {"stable_residence_in_target": True, "kind": "rented", "continuous_months": 36,
                      "permit": True},
    },
    # a 大专 graduate (no job or home needed)
    "jx.talent": {"birth_date": "2001-07-01", "sex": "M", "education": "junior_college"},
    # technical-school graduate of 2015, employed locally, residence permit
    "jx.vocational": {
        "birth_date": "1997-08-20", "sex": "M", "education": "secondary_vocational",
        "graduation_date": "2015-07-01",
        "employment": {"employed": True, "in_target": True, "contract_months": 24},
        "residence": {"permit": True},
    },
    # a 62-year-old father joining his son who lives in his own flat in Jiaxing
    "jx.elderly_join": {
        "birth_date": "1961-05-05", "sex": "M", "joining": ELDERLY_JOINING,
    },
    # the wife of a master's graduate registered in his employer's collective household
    "jx.talent_family_join": {
        "birth_date": "1993-02-14", "sex": "F", "marital_status": "married", "joining": TALENT_JOINING,
    },
    # 嘉政 四: a migrant worker from a village in Anhui, 5 years working and living in a Jiaxing town, renting
    "jx.community_collective": {
        "birth_date": "1985-03-03", "sex": "M", "hukou": {"rural": True},
        "employment": {"employed": True, "in_target": True, "months_in_target": 60},
        "residence": {"continuous_months": 60, "kind": "rented", "stable_residence_in_target": True},
    },
    # 嘉政 四: registered in Jiaxing at a house that was expropriated, no other home here
    "jx.address_lost": {
        "birth_date": "1970-09-09", "sex": "F", "hukou": {"in_target": True}, "address_lost": "house_expropriation",
    },
}

FOLLOWERS = {
    "jx.owned_residence": ["spouse", "minor_child", "parent"],
    "jx.rented_residence": ["spouse", "minor_child", "parent"],
    "jx.talent": [],
    "jx.vocational": [],
    "jx.elderly_join": [],
    "jx.talent_family_join": [],
    "jx.community_collective": ["spouse", "minor_child", "parent"],
    "jx.address_lost": [],
}

FLIPS = [
    ("jx.owned_residence", "residence.stable_residence_in_target", False, OWNED_HOME),
    ("jx.owned_residence", "residence.kind", "rented", OWNED_HOME),
    ("jx.owned_residence", "residence.permit", False, PERMIT_OR_REGISTRATION),
    ("jx.rented_residence", "residence.stable_residence_in_target", False, RENTED_HOME),
    ("jx.rented_residence", "residence.kind", "owned", RENTED_HOME),
    ("jx.rented_residence", "residence.continuous_months", 35, THREE_YEARS),
    ("jx.rented_residence", "residence.permit", False, PERMIT_OR_REGISTRATION),
    ("jx.talent", "education", "high_school", TALENT),
    ("jx.talent", "education", "secondary_vocational", TALENT),
    ("jx.vocational", "education", "junior_college", SECONDARY_VOCATIONAL),
    ("jx.vocational", "graduation_date", "2009-02-28", WITHIN_15_YEARS),  # 15 years + 2 days before ON
    ("jx.vocational", "graduation_date", None, WITHIN_15_YEARS),  # no graduation date: cannot be within
    ("jx.vocational", "employment.in_target", False, CONTRACT_OR_BUSINESS),
    ("jx.vocational", "employment.employed", False, CONTRACT_OR_BUSINESS),
    ("jx.vocational", "residence.permit", False, PERMIT),
    ("jx.elderly_join", "joining.relation", "child", JOINS_ADULT_CHILD),
    ("jx.elderly_join", "joining.sponsor_adult", False, JOINS_ADULT_CHILD),
    ("jx.elderly_join", "joining.sponsor_hukou_in_target_urban_area", False, CHILD_URBAN_HUKOU),
    ("jx.elderly_join", "joining.sponsor_has_stable_residence", False, CHILD_OR_SELF_HOME),
    ("jx.elderly_join", "birth_date", born_day_before_turning(60, ON), ELDERLY_AGE),
    ("jx.talent_family_join", "joining.sponsor_is_senior_talent", False, SENIOR_TALENT),
    ("jx.talent_family_join", "joining.sponsor_in_collective_household", False, SPONSOR_COLLECTIVE),
    ("jx.talent_family_join", "joining.relation", "lineal_relative", CLOSE_FAMILY),
    ("jx.talent_family_join", "joining.relation", "child", CLOSE_FAMILY),  # an adult child is not a minor
    ("jx.talent_family_join", "joining.owner_consents", False, OWNER_CONSENTS),
    ("jx.community_collective", "hukou.rural", False, RURAL),
    ("jx.community_collective", "employment.months_in_target", 59, FIVE_YEARS_OR_FAMILY),
    ("jx.community_collective", "residence.continuous_months", 59, FIVE_YEARS_OR_FAMILY),
    ("jx.community_collective", "residence.kind", "owned", NO_OWN_HOME),
    ("jx.address_lost", "hukou.in_target", False, REGISTERED_HERE),
    ("jx.address_lost", "address_lost", None, ADDRESS_LOST),
    ("jx.address_lost", "address_lost", ABSENT, ADDRESS_LOST),
    ("jx.address_lost", "residence.stable_residence_in_target", True, NO_HOME_HERE),
    *already_registered_flips(set(BASELINES) - {"jx.address_lost"}),
]


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_baseline_passes_with_the_followers_of_the_notice(code):
    route = assert_eligible(BASELINES[code], code, JX, ON)
    assert route["followers"] == FOLLOWERS[code]
    assert route["citation"].startswith("嘉政办发〔2020〕28号 ")


@pytest.mark.parametrize("case", FLIPS, ids=flip_id)
def test_one_fact_flipped_fails_exactly_that_condition(case):
    code, path, value, label = case
    assert_fails_only(with_fact(BASELINES[code], path, value), code, JX, ON, label)


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_every_condition_has_a_failing_case(code):
    check_flip_table(BASELINES, FLIPS, JX, ON, code)


# --- alternatives that also pass ---------------------------------------------------------------
@pytest.mark.parametrize(
    "code, changes",
    [
        ("jx.owned_residence", {"residence.permit": False, "residence.registration_months": 1}),  # 居住登记凭证
        ("jx.rented_residence", {"residence.permit": False, "residence.registration_months": 6}),
        ("jx.rented_residence", {"residence.continuous_months": 120}),
        ("jx.talent", {"education": "doctor"}),
        ("jx.talent", {"education": "high_school", "professional_title": "intermediate"}),
        ("jx.talent", {"education": "high_school", "professional_title": "senior"}),
        ("jx.talent", {"education": "high_school", "vocational_level": "level2"}),  # 技师
        ("jx.talent", {"education": "high_school", "vocational_level": "level1"}),  # 高级技师
        ("jx.vocational", {"employment": {}, "business.runs_local_business": True}),  # 在本地经商办企业
        ("jx.vocational", {"employment.contract_months": 0}),  # no minimum contract length in 嘉政 二
        ("jx.elderly_join", {"joining.sponsor_has_stable_residence": False,
                             "residence.stable_residence_in_target": True}),  # 本人的房屋
        ("jx.elderly_join", {"birth_date": "1984-01-01", "joining.cohabiting": True,
                             "residence.permit": True}),  # living together with a permit: any age
        ("jx.talent_family_join", {"joining.relation": "parent", "birth_date": "1960-01-01"}),
        ("jx.talent_family_join", {"joining.relation": "child", "birth_date": "2012-06-01"}),
    ],
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()),
)
def test_alternative_facts_that_also_qualify(code, changes):
    assert_eligible(with_facts(BASELINES[code], changes), code, JX, ON)


@pytest.mark.parametrize(
    "changes",
    [
        {"education": "high_school", "professional_title": "junior"},  # 初级 is not 中级
        {"education": "high_school", "vocational_level": "level3"},  # 高级工 is not 技师
    ],
    ids=str,
)
def test_talent_below_the_thresholds_fails(changes):
    assert_fails_only(with_facts(BASELINES["jx.talent"], changes), "jx.talent", JX, ON, TALENT)


# --- boundaries ---------------------------------------------------------------------------------
@pytest.mark.parametrize("months, ok", [(0, False), (35, False), (36, True), (37, True)])
def test_rented_needs_36_continuous_months(months, ok):
    facts = with_fact(BASELINES["jx.rented_residence"], "residence.continuous_months", months)
    if ok:
        assert_eligible(facts, "jx.rented_residence", JX, ON)
    else:
        assert_fails_only(facts, "jx.rented_residence", JX, ON, THREE_YEARS)


@pytest.mark.parametrize("months, ok", [(0, False), (1, True)])
def test_owned_residence_registration_alone_is_enough(months, ok):
    facts = with_facts(
        BASELINES["jx.owned_residence"], {"residence.permit": False, "residence.registration_months": months}
    )
    assert outcome(facts, "jx.owned_residence", JX, ON)["eligible"] is ok


@pytest.mark.parametrize(
    "graduated, on, ok",
    [
        ("2009-03-01", ON, True),  # exactly 15 years ago
        ("2009-03-02", ON, True),
        ("2009-02-28", "2024-02-28", True),  # exactly 15 years, in a leap year
        ("2009-02-28", "2024-02-29", False),  # 15 years and one day
        ("2009-03-01", "2024-03-02", False),  # 15 years and one day
        ("2008-02-29", "2023-02-28", True),  # graduated on 29 Feb: the anniversary is 1 March…
        ("2008-02-29", "2023-03-01", True),  # …in a common year, still within 15 years
        ("2008-02-29", "2023-03-02", False),
        ("2012-02-29", "2027-03-01", True),
        ("2012-02-29", "2027-03-02", False),
    ],
)
def test_vocational_within_15_years_of_graduation(graduated, on, ok):
    facts = with_fact(BASELINES["jx.vocational"], "graduation_date", graduated)
    if ok:
        assert_eligible(facts, "jx.vocational", JX, on)
    else:
        assert_fails_only(facts, "jx.vocational", JX, on, WITHIN_15_YEARS)


@pytest.mark.parametrize(
    "sex, birth_date, on, ok",
    [
        ("M", born_day_before_turning(60, ON), ON, False),  # the day before the 60th birthday
        ("M", born_turning(60, ON), ON, True),  # the 60th birthday
        ("F", born_day_before_turning(55, ON), ON, False),
        ("F", born_turning(55, ON), ON, True),
        ("M", born_turning(55, ON), ON, False),  # 55 is enough for women only
        ("M", born_turning(59, ON), ON, False),
        ("F", "1968-02-29", "2023-02-28", False),  # 29 Feb: not yet 55 on 28 Feb of a common year
        ("F", "1968-02-29", "2023-03-01", True),  # 55 on 1 March
        ("M", "1964-02-29", "2024-02-28", False),
        ("M", "1964-02-29", "2024-02-29", True),  # a leap year: the birthday itself
    ],
)
def test_elderly_join_men_60_women_55(sex, birth_date, on, ok):
    facts = with_facts(BASELINES["jx.elderly_join"], {"sex": sex, "birth_date": birth_date})
    if ok:
        assert_eligible(facts, "jx.elderly_join", JX, on)
    else:
        assert_fails_only(facts, "jx.elderly_join", JX, on, ELDERLY_AGE)


@pytest.mark.parametrize(
    "cohabiting, permit, ok", [(True, True, True), (True, False, False), (False, True, False)]
)
def test_elderly_join_under_age_needs_both_cohabiting_and_a_permit(cohabiting, permit, ok):
    facts = with_facts(
        BASELINES["jx.elderly_join"],
        {"birth_date": born_turning(45, ON), "joining.cohabiting": cohabiting, "residence.permit": permit},
    )
    if ok:
        assert_eligible(facts, "jx.elderly_join", JX, ON)
    else:
        assert_fails_only(facts, "jx.elderly_join", JX, ON, ELDERLY_AGE)


@pytest.mark.parametrize(
    "birth_date, on, ok",
    [
        (born_day_before_turning(18, ON), ON, True),  # 17, one day short of 18
        (born_turning(18, ON), ON, False),  # the 18th birthday
        ("2008-02-29", "2026-02-28", True),  # 29 Feb: 17 until 1 March
        ("2008-02-29", "2026-03-01", False),
    ],
)
def test_talent_family_join_minor_child_is_under_18(birth_date, on, ok):
    facts = with_facts(BASELINES["jx.talent_family_join"], {"joining.relation": "child", "birth_date": birth_date,
                                                           "marital_status": "single"})
    if ok:
        assert_eligible(facts, "jx.talent_family_join", JX, on)
    else:
        assert_fails_only(facts, "jx.talent_family_join", JX, on, CLOSE_FAMILY)


# --- in force ---------------------------------------------------------------------------------------
JX_ROUTES = set(BASELINES)  # including 嘉政 四's two collective-household routes


@pytest.mark.parametrize(
    "on, expected",
    [
        ("2020-07-31", set()),
        (IN_FORCE, JX_ROUTES),
        ("2023-07-06", JX_ROUTES),
    ],
)
def test_jiaxing_routes_are_in_force_from_1_august_2020(on, expected):
    assert route_codes(JX, on) == expected


# --- 嘉政 四: community (village) public collective households ---------------------------------------
@pytest.mark.parametrize("changes", [
    {"residence.whole_family_moving": True, "employment.months_in_target": 0, "residence.continuous_months": 0},
    {"residence.stable_residence_in_target": False, "residence.kind": ABSENT},  # no home at all
], ids=["举家迁徙", "no home"])
def test_community_collective_alternatives(changes):
    assert_eligible(with_facts(BASELINES["jx.community_collective"], changes), "jx.community_collective", JX, ON)


@pytest.mark.parametrize("reason", ["land_expropriation", "house_expropriation", "property_transfer", "divorce",
                                    "other"])
def test_address_lost_for_each_reason_of_the_notice(reason):
    assert_eligible(with_fact(BASELINES["jx.address_lost"], "address_lost", reason), "jx.address_lost", JX, ON)


def test_address_lost_is_for_someone_already_registered_here_unlike_every_other_route():
    route = outcome(BASELINES["jx.address_lost"], "jx.address_lost", JX, ON)
    assert NOT_REGISTERED_THERE not in [c["label"] for c in route["conditions"]]


@pytest.mark.parametrize("code", ["jx.community_collective", "jx.address_lost"])
def test_collective_routes_register_in_the_community_collective_household(code):
    from policies.models import SettlementRoute

    assert SettlementRoute.objects.get(code=code).address_options == ["community_collective"]


# --- followers live with the applicant (共同居住生活, 嘉政 一) ----------------------------------------------
@pytest.mark.parametrize("code, cohabit", [
    ("jx.owned_residence", True), ("jx.rented_residence", True), ("jx.community_collective", True),
    ("jx.talent", False),
])
def test_followers_must_live_with_the_applicant(code, cohabit):
    from policies.models import SettlementRoute

    assert SettlementRoute.objects.get(code=code).followers_cohabit is cohabit


# --- materials follow the facts: the proof of whoever owns the home ------------------------------------
@pytest.mark.parametrize("changes, asked, not_asked", [
    ({}, "sponsor_residence", "own_residence_proof"),  # the son owns the flat
    ({"joining.sponsor_has_stable_residence": False, "residence.stable_residence_in_target": True},
     "own_residence_proof", "sponsor_residence"),  # the father owns it
])
def test_elderly_join_asks_for_the_proof_of_whoever_owns_the_home(changes, asked, not_asked):
    codes = materials(with_facts(BASELINES["jx.elderly_join"], changes), "jx.elderly_join", ON)
    assert asked in codes and not_asked not in codes


@pytest.mark.parametrize("birth_date, permit_asked", [
    ("1961-05-05", False),  # 62: no permit needed
    ("1970-05-05", True),  # 53: joins under the age only with a residence permit
])
def test_elderly_join_asks_a_permit_only_below_the_age(birth_date, permit_asked):
    facts = with_fact(BASELINES["jx.elderly_join"], "birth_date", birth_date)
    assert ("residence_permit" in materials(facts, "jx.elderly_join", ON)) is permit_asked
