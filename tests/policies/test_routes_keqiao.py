"""柯桥区 (sx.kq): the eight routes of 绍柯政办发〔2020〕1号, in force from 2020-02-01.

Each route has a passing baseline; every flip changes exactly one fact of it and names the one
condition that must then fail. Boundaries follow the notice: "45 周岁（含）以下" includes 45;
"一年及以上" includes 12 months; "3个月及以上" includes 3; "满1年" is 12 months.
"""

import pytest

from tests.policies.route_spec import (
    ABSENT,
    assert_eligible,
    assert_fails_only,
    born_day_before_turning,
    born_turning,
    check_flip_table,
    flip_id,
    outcome,
    route_codes,
    with_fact,
    with_facts,
)

pytestmark = pytest.mark.django_db

KQ = "sx.kq"
ON = "2024-03-01"
IN_FORCE = "2020-02-01"  # 绍柯 三: 本意见自2020年2月1日起施行

# The conditions as an applicant reads them.
OUTSIDE_SHAOXING = "户口在绍兴市外"
DEGREE = "大专及以上学历（全日制或国民教育同等学历）或留学回国人员"
SECONDARY_VOCATIONAL = "中等职业学校（含技校）毕业"
AGE_45_INCLUSIVE = "45周岁（含）以下"
TITLE = "具有初级及以上专业技术职称"
EMPLOYED_IN_KEQIAO = "在柯桥区用人单位就业"
CONTRACT_ONE_YEAR = "劳动合同期限一年及以上"
INSURANCE_3_MONTHS = "缴纳社会保险3个月及以上"
HONOR = "获得区级及以上“劳动模范”“优秀农民工”等荣誉（荣誉目录以政策表为准）"
MANAGER = "在规模以上企业担任中层及以上职务"
INSURANCE_ONE_YEAR = "实际工作并缴纳社会保险满一年"
ENROLLED = "全国高等院校在校大学生"
INTERN_OR_INTENT = "在柯桥区用人单位见实习，或有意向来柯桥区就业创业"
INVESTED_ONE_YEAR = "在柯桥区投资办企业或个人创业，税款缴纳满1年或社保缴纳满1年"
OWNS_COMMERCIAL_PROPERTY = "取得商业用房或办公用房合法所有权"
BUSINESS_IN_KEQIAO = "所投资企业或个人创业在柯桥区"
NOT_URBAN_WITH_HOME = "户口不在市区城镇范围内，或在区内无合法稳定住所"
LOCAL_COLLEGE_STUDENT = "区内高校录取的在校学生"
OUTSIDE_KEQIAO = "户口在柯桥区外"

OUTSIDER = {"birth_date": "1996-05-20", "sex": "F", "hukou": {"in_target_city": False}}
EMPLOYED_HERE = {"employed": True, "in_target": True, "contract_months": 12}

BASELINES = {
    # a bachelor from Anhui
    "kq.graduate": {**OUTSIDER, "education": "bachelor", "general_college": True},
    # a 30-year-old technical-school graduate
    "kq.vocational": {**OUTSIDER, "birth_date": "1994-01-10", "education": "secondary_vocational"},
    # a junior-titled engineer on a one-year contract, 3 months of social insurance
    "kq.title": {
        **OUTSIDER, "education": "high_school", "professional_title": "junior",
        "employment": EMPLOYED_HERE, "social_insurance": {"local_months": 3},
    },
    # a district 劳动模范 without any degree
    "kq.honor": {**OUTSIDER, "education": "high_school", "honors": ["model_worker"]},
    # a workshop head at an above-scale enterprise, a year of social insurance
    "kq.manager": {
        **OUTSIDER, "education": "high_school",
        "employment": {**EMPLOYED_HERE, "manager_at_above_scale_enterprise": True},
        "social_insurance": {"local_months": 12},
    },
    # a student elsewhere who interns in Keqiao
    "kq.student_intern": {
        **OUTSIDER, "birth_date": "2003-09-01", "education": "high_school",
        "student": {"enrolled": True, "intern_or_intent_in_target": True},
    },
    # a shop owner: a year of tax, owns the shop; hukou in a Shaoxing town outside the urban area
    "kq.investor": {
        "birth_date": "1985-03-03", "sex": "M",
        "hukou": {"in_target_city": True, "in_target_urban_area": False},
        "residence": {"stable_residence_in_target": True, "kind": "owned"},
        "business": {"runs_local_business": True, "tax_months": 12, "owns_commercial_property_in_target": True},
    },
    # a first-year student of a Keqiao college, hukou elsewhere in Shaoxing
    "kq.local_student": {
        "birth_date": "2005-09-01", "sex": "M", "education": "high_school",
        "hukou": {"in_target": False, "in_target_city": True},
        "student": {"enrolled": True, "school_in_target": True},
    },
}

KQ_FOLLOWERS = ["spouse", "child", "parent", "spouse_parent"]
FOLLOWERS = {
    "kq.graduate": KQ_FOLLOWERS,
    "kq.vocational": KQ_FOLLOWERS,
    "kq.title": KQ_FOLLOWERS,
    "kq.honor": KQ_FOLLOWERS,
    "kq.manager": KQ_FOLLOWERS,
    "kq.student_intern": KQ_FOLLOWERS,
    "kq.investor": ["spouse", "minor_child"],
    "kq.local_student": [],
}

FLIPS = [
    ("kq.graduate", "hukou.in_target_city", True, OUTSIDE_SHAOXING),
    ("kq.graduate", "education", "high_school", DEGREE),
    ("kq.graduate", "education", "secondary_vocational", DEGREE),
    ("kq.vocational", "hukou.in_target_city", True, OUTSIDE_SHAOXING),
    ("kq.vocational", "education", "junior_college", SECONDARY_VOCATIONAL),
    ("kq.vocational", "education", "high_school", SECONDARY_VOCATIONAL),
    ("kq.vocational", "birth_date", born_turning(46, ON), AGE_45_INCLUSIVE),
    ("kq.title", "hukou.in_target_city", True, OUTSIDE_SHAOXING),
    ("kq.title", "professional_title", "none", TITLE),
    ("kq.title", "employment.employed", False, EMPLOYED_IN_KEQIAO),
    ("kq.title", "employment.in_target", False, EMPLOYED_IN_KEQIAO),
    ("kq.title", "employment.contract_months", 11, CONTRACT_ONE_YEAR),
    ("kq.title", "social_insurance.local_months", 2, INSURANCE_3_MONTHS),
    ("kq.honor", "hukou.in_target_city", True, OUTSIDE_SHAOXING),
    ("kq.honor", "honors", [], HONOR),
    ("kq.manager", "hukou.in_target_city", True, OUTSIDE_SHAOXING),
    ("kq.manager", "employment.manager_at_above_scale_enterprise", False, MANAGER),
    ("kq.manager", "employment.employed", False, EMPLOYED_IN_KEQIAO),
    ("kq.manager", "employment.in_target", False, EMPLOYED_IN_KEQIAO),
    ("kq.manager", "social_insurance.local_months", 11, INSURANCE_ONE_YEAR),
    ("kq.student_intern", "hukou.in_target_city", True, OUTSIDE_SHAOXING),
    ("kq.student_intern", "student.enrolled", False, ENROLLED),
    ("kq.student_intern", "student.intern_or_intent_in_target", False, INTERN_OR_INTENT),
    ("kq.investor", "business.tax_months", 11, INVESTED_ONE_YEAR),
    ("kq.investor", "business.runs_local_business", False, BUSINESS_IN_KEQIAO),
    ("kq.investor", "business.runs_local_business", ABSENT, BUSINESS_IN_KEQIAO),
    ("kq.investor", "business.owns_commercial_property_in_target", False, OWNS_COMMERCIAL_PROPERTY),
    ("kq.investor", "hukou.in_target_urban_area", True, NOT_URBAN_WITH_HOME),
    ("kq.local_student", "student.enrolled", False, LOCAL_COLLEGE_STUDENT),
    ("kq.local_student", "student.school_in_target", False, LOCAL_COLLEGE_STUDENT),
    ("kq.local_student", "hukou.in_target", True, OUTSIDE_KEQIAO),
]


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_baseline_passes_with_the_followers_of_the_notice(code):
    route = assert_eligible(BASELINES[code], code, KQ, ON)
    assert route["followers"] == FOLLOWERS[code]
    assert route["citation"].startswith("绍柯政办发〔2020〕1号 ")


@pytest.mark.parametrize("case", FLIPS, ids=flip_id)
def test_one_fact_flipped_fails_exactly_that_condition(case):
    code, path, value, label = case
    assert_fails_only(with_fact(BASELINES[code], path, value), code, KQ, ON, label)


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_every_condition_has_a_failing_case(code):
    check_flip_table(BASELINES, FLIPS, KQ, ON, code)


# --- alternatives that also pass ---------------------------------------------------------------
@pytest.mark.parametrize(
    "code, changes",
    [
        ("kq.graduate", {"education": "junior_college"}),  # 大专 counts
        ("kq.graduate", {"education": "doctor"}),
        ("kq.graduate", {"general_college": False}),  # 国民教育同等学历: not only full-time
        ("kq.graduate", {"education": "high_school", "overseas_returnee": True}),  # 留学回国人员
        ("kq.title", {"professional_title": "senior"}),
        ("kq.title", {"employment.contract_months": 36}),
        ("kq.honor", {"honors": ["outstanding_migrant_worker"]}),
        ("kq.honor", {"honors": ["model_worker", "outstanding_migrant_worker"]}),
        ("kq.student_intern", {"student.intern_or_intent_in_target": True, "student.school_in_target": False}),
        ("kq.investor", {"business.tax_months": 0, "business.social_insurance_months": 12}),
        ("kq.investor", {"hukou.in_target_city": False}),  # from outside Shaoxing
        ("kq.local_student", {"hukou.in_target_city": False}),  # from outside Shaoxing too
    ],
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()),
)
def test_alternative_facts_that_also_qualify(code, changes):
    assert_eligible(with_facts(BASELINES[code], changes), code, KQ, ON)


# --- boundaries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "birth_date, on, ok",
    [
        (born_turning(45, ON), ON, True),  # 45th birthday: 45 counts (含)
        (born_day_before_turning(46, ON), ON, True),  # the last day at 45
        (born_turning(46, ON), ON, False),  # the 46th birthday
        ("1980-02-29", "2026-02-28", True),  # 29 Feb birth: still 45 on 28 Feb of a common year
        ("1980-02-29", "2026-03-01", False),  # …and 46 on 1 March
        ("1978-02-28", "2024-02-29", False),  # 46 since the day before
    ],
)
def test_vocational_age_is_45_inclusive(birth_date, on, ok):
    facts = with_fact(BASELINES["kq.vocational"], "birth_date", birth_date)
    if ok:
        assert_eligible(facts, "kq.vocational", KQ, on)
    else:
        assert_fails_only(facts, "kq.vocational", KQ, on, AGE_45_INCLUSIVE)


@pytest.mark.parametrize(
    "path, value, label",
    [
        ("employment.contract_months", 11, CONTRACT_ONE_YEAR),
        ("employment.contract_months", 12, None),
        ("social_insurance.local_months", 2, INSURANCE_3_MONTHS),
        ("social_insurance.local_months", 3, None),
    ],
)
def test_title_contract_12_months_and_insurance_3_months_inclusive(path, value, label):
    facts = with_fact(BASELINES["kq.title"], path, value)
    if label is None:
        assert_eligible(facts, "kq.title", KQ, ON)
    else:
        assert_fails_only(facts, "kq.title", KQ, ON, label)


def test_title_back_paid_months_count_in_keqiao():
    """Only Hangzhou's skilled routes exclude 补缴; the Keqiao notice counts every month paid."""
    facts = with_fact(BASELINES["kq.title"], "social_insurance", {"local_months": 3, "back_paid_months": 3})
    assert_eligible(facts, "kq.title", KQ, ON)


@pytest.mark.parametrize("months, ok", [(11, False), (12, True), (13, True)])
def test_manager_social_insurance_full_year(months, ok):
    facts = with_fact(BASELINES["kq.manager"], "social_insurance.local_months", months)
    assert outcome(facts, "kq.manager", KQ, ON)["eligible"] is ok


@pytest.mark.parametrize(
    "tax_months, insurance_months, ok",
    [(11, 0, False), (12, 0, True), (0, 11, False), (0, 12, True), (11, 11, False), (12, 12, True)],
)
def test_investor_tax_or_social_insurance_full_year(tax_months, insurance_months, ok):
    facts = with_facts(
        BASELINES["kq.investor"],
        {"business.tax_months": tax_months, "business.social_insurance_months": insurance_months},
    )
    if ok:
        assert_eligible(facts, "kq.investor", KQ, ON)
    else:
        assert_fails_only(facts, "kq.investor", KQ, ON, INVESTED_ONE_YEAR)


def test_investor_uses_business_months_not_the_personal_social_insurance_record():
    facts = with_facts(
        BASELINES["kq.investor"],
        {"business.tax_months": 0, "social_insurance.local_months": 60, "social_insurance.yrd_transferred_months": 60},
    )
    assert_fails_only(facts, "kq.investor", KQ, ON, INVESTED_ONE_YEAR)


@pytest.mark.parametrize(
    "hukou_in_urban_area, stable_residence, ok",
    [
        (False, False, True),
        (False, True, True),
        (True, False, True),  # 区内无合法稳定住所的除外
        (True, True, False),  # 户口已在市区城镇范围内 with a home in the district: not the collective household
    ],
)
def test_investor_refused_only_when_already_urban_with_a_home_in_the_district(
    hukou_in_urban_area, stable_residence, ok
):
    facts = with_facts(
        BASELINES["kq.investor"],
        {"hukou.in_target_urban_area": hukou_in_urban_area, "residence.stable_residence_in_target": stable_residence},
    )
    if ok:
        assert_eligible(facts, "kq.investor", KQ, ON)
    else:
        assert_fails_only(facts, "kq.investor", KQ, ON, NOT_URBAN_WITH_HOME)


def test_already_in_keqiao_cannot_use_the_local_student_route_but_missing_hukou_facts_mean_outside():
    assert_eligible(with_fact(BASELINES["kq.local_student"], "hukou", ABSENT), "kq.local_student", KQ, ON)


# --- in force ---------------------------------------------------------------------------------------
KQ_ROUTES = set(BASELINES)


@pytest.mark.parametrize(
    "on, expected",
    [
        ("2020-01-31", set()),
        (IN_FORCE, KQ_ROUTES),
        ("2023-07-06", KQ_ROUTES),  # before 浙政: no province route yet
    ],
)
def test_keqiao_routes_are_in_force_from_1_february_2020(on, expected):
    assert route_codes(KQ, on) == expected


def test_the_day_before_the_notice_a_qualifying_graduate_has_no_route():
    result = route_codes(KQ, "2020-01-31", BASELINES["kq.graduate"])
    assert result == set()
    assert_eligible(BASELINES["kq.graduate"], "kq.graduate", KQ, IN_FORCE)


# --- 绍柯 二(三)6: where a settling student may register ----------------------------------------------
def test_local_student_may_register_at_every_address_the_notice_allows():
    from policies.models import SettlementRoute

    assert SettlementRoute.objects.get(code="kq.local_student").address_options == [
        "own_residence",  # 合法稳定住所（含配偶、子女或父母住所）
        "relative_household",  # 同意被投靠的亲友处
        "employer_collective",  # 本人工作（见实习）单位集体户
        "school_collective",  # 本人区内在读高校集体户
        "talent_collective",  # 区人力社保部门人才专户
        "community_collective",  # 居住地社区集体户
    ]
