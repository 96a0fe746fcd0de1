"""杭州 (hz.city and the three counties): the seven routes of 杭政办函〔2023〕33号, in force from 2023-05-08.

Each route has a passing baseline; every flip changes exactly one fact of it and names the one
condition that must then fail. The notice says "35周岁以下（以下不含本数，下同）": every "X周岁以下"
excludes X, so the day one turns X the route is closed. Skilled routes count only months the employer
paid normally ("不含补缴"), and no Yangtze-River-Delta months.
"""

from decimal import Decimal

import pytest

from policies.models import PointsBand, PointsIndicator, PointsScheme
from tests.policies.route_spec import (
    ABSENT,
    NOT_REGISTERED_THERE,
    already_registered_flips,
    assert_eligible,
    assert_fails_only,
    born_day_before_turning,
    born_turning,
    check_flip_table,
    failing,
    flip_id,
    materials,
    outcome,
    route_codes,
    with_fact,
    with_facts,
)

pytestmark = pytest.mark.django_db

HZ = "hz.city"
COUNTIES = ["hz.tonglu", "hz.chunan", "hz.jiande"]
ON = "2024-03-01"
IN_FORCE = "2023-05-08"  # 杭政: 本意见自2023年5月8日起施行

GENERAL_COLLEGE = "普通高校毕业"
COLLEGE = "大专及以上学历"
UNDER_35 = "35周岁以下（不含35周岁）"
EMPLOYED_IN_HANGZHOU = "在杭州市区就业"
POSTGRADUATE = "硕士研究生及以上学历"
UNDER_45 = "45周岁以下（不含45周岁）"
TECHNICIAN = "具有技师及以上职业资格（或职业技能等级二级及以上）"
SENIOR_WORKER = "具有高级工及以上职业资格（或职业技能等级三级及以上）"
SIX_MONTHS_NORMALLY_PAID = "由工作单位正常缴纳社会保险6个月及以上（不含补缴）"
HOME_IN_CITY = "在市区有合法稳定住所"
JOINS_CHILD = "投靠子女"
ELDERLY_AGE = "男性满60周岁、女性满55周岁"
CHILD_HANGZHOU_HUKOU = "被投靠子女为杭州市区户籍"
CHILD_OR_SELF_HOME = "本人或子女在杭州市区城镇有合法固定住所"
PERMIT_OR_YRD = "持有居住证，或为长三角区域户籍居民（免居住证）"
POINTS_LINE = "居住证积分达到积分落户分数线"
COUNTY_HOME_OR_JOB = "在当地城镇有合法稳定住所，或合法稳定就业"
JOINS_SPOUSE = "投靠配偶"
MARRIED = "本人已婚"
SPOUSE_HANGZHOU_HUKOU = "被投靠配偶为杭州市区户籍"
YRD_HUKOU = "本人为长三角区域户籍居民（取消申领居住证的条件限制）"

EMPLOYED_HERE = {"employed": True, "in_target": True, "contract_months": 36}
SKILLED = {
    "employment": EMPLOYED_HERE,
    "social_insurance": {"local_months": 6},
    "residence": {"stable_residence_in_target": True, "kind": "rented"},
}

BASELINES = {
    # a 26-year-old 大专 graduate of a general college with a job in Binjiang
    "hz.college_graduate": {
        "birth_date": "1998-01-20", "sex": "F", "education": "junior_college", "general_college": True,
        "graduation_date": "2019-07-01", "employment": EMPLOYED_HERE,
    },
    # a 40-year-old master's graduate without a job yet (先落户后就业)
    "hz.master_first": {
        "birth_date": "1984-01-20", "sex": "M", "education": "master", "general_college": True,
    },
    # a 40-year-old 技师 with 6 months of normally paid social insurance and a rented flat
    "hz.technician": {"birth_date": "1984-01-20", "sex": "M", "education": "high_school",
                      "vocational_level": "level2", **SKILLED},
    # a 30-year-old 高级工
    "hz.senior_worker": {"birth_date": "1994-01-20", "sex": "M", "education": "secondary_vocational",
                         "vocational_level": "level3", **SKILLED},
    # a 57-year-old mother from Sichuan with a residence permit, joining her daughter's household
    "hz.elderly_join": {
        "birth_date": "1967-01-20", "sex": "F", "hukou": {"in_yrd": False},
        "residence": {"permit": True},
        "joining": {"relation": "parent", "sponsor_adult": True, "sponsor_hukou_in_target_urban_area": True,
                    "sponsor_has_stable_residence": True},
    },
    # 杭政 二(三) 夫妻投靠: a 32-year-old from Suzhou (YRD hukou, no residence permit) joining her husband
    "hz.spouse_join": {
        "birth_date": "1992-01-20", "sex": "F", "marital_status": "married", "hukou": {"in_yrd": True},
        "joining": {"relation": "spouse", "sponsor_hukou_in_target_urban_area": True},
    },
}

FOLLOWERS = {
    "hz.college_graduate": [],
    "hz.master_first": [],
    "hz.technician": ["spouse", "minor_child"],
    "hz.senior_worker": ["spouse", "minor_child"],
    "hz.elderly_join": [],
    "hz.spouse_join": ["minor_child"],
}

FLIPS = [
    ("hz.college_graduate", "general_college", False, GENERAL_COLLEGE),
    ("hz.college_graduate", "education", "high_school", COLLEGE),
    ("hz.college_graduate", "education", "secondary_vocational", COLLEGE),
    ("hz.college_graduate", "birth_date", born_turning(35, ON), UNDER_35),
    ("hz.college_graduate", "employment.employed", False, EMPLOYED_IN_HANGZHOU),
    ("hz.college_graduate", "employment.in_target", False, EMPLOYED_IN_HANGZHOU),
    ("hz.master_first", "general_college", False, GENERAL_COLLEGE),
    ("hz.master_first", "education", "bachelor", POSTGRADUATE),
    ("hz.master_first", "birth_date", born_turning(45, ON), UNDER_45),
    ("hz.technician", "birth_date", born_turning(45, ON), UNDER_45),
    ("hz.technician", "vocational_level", "level3", TECHNICIAN),
    ("hz.technician", "employment.employed", False, EMPLOYED_IN_HANGZHOU),
    ("hz.technician", "employment.in_target", False, EMPLOYED_IN_HANGZHOU),
    ("hz.technician", "social_insurance.local_months", 5, SIX_MONTHS_NORMALLY_PAID),
    ("hz.technician", "social_insurance.back_paid_months", 1, SIX_MONTHS_NORMALLY_PAID),
    ("hz.technician", "residence.stable_residence_in_target", False, HOME_IN_CITY),
    ("hz.senior_worker", "birth_date", born_turning(35, ON), UNDER_35),
    ("hz.senior_worker", "vocational_level", "level4", SENIOR_WORKER),
    ("hz.senior_worker", "employment.employed", False, EMPLOYED_IN_HANGZHOU),
    ("hz.senior_worker", "employment.in_target", False, EMPLOYED_IN_HANGZHOU),
    ("hz.senior_worker", "social_insurance.local_months", 5, SIX_MONTHS_NORMALLY_PAID),
    ("hz.senior_worker", "social_insurance.back_paid_months", 1, SIX_MONTHS_NORMALLY_PAID),
    ("hz.senior_worker", "residence.stable_residence_in_target", False, HOME_IN_CITY),
    ("hz.elderly_join", "joining.relation", "spouse", JOINS_CHILD),
    ("hz.elderly_join", "sex", "M", ELDERLY_AGE),  # a man of 57 is too young
    ("hz.elderly_join", "birth_date", born_day_before_turning(55, ON), ELDERLY_AGE),
    ("hz.elderly_join", "joining.sponsor_hukou_in_target_urban_area", False, CHILD_HANGZHOU_HUKOU),
    ("hz.elderly_join", "joining.sponsor_has_stable_residence", False, CHILD_OR_SELF_HOME),
    ("hz.elderly_join", "residence.permit", False, PERMIT_OR_YRD),
    ("hz.spouse_join", "joining.relation", "parent", JOINS_SPOUSE),
    ("hz.spouse_join", "marital_status", "divorced", MARRIED),
    ("hz.spouse_join", "marital_status", ABSENT, MARRIED),
    ("hz.spouse_join", "joining.sponsor_hukou_in_target_urban_area", False, SPOUSE_HANGZHOU_HUKOU),
    ("hz.spouse_join", "hukou.in_yrd", False, YRD_HUKOU),
    ("hz.spouse_join", "hukou.in_yrd", ABSENT, YRD_HUKOU),
    *already_registered_flips(BASELINES),
]


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_baseline_passes_with_the_followers_of_the_notice(code):
    route = assert_eligible(BASELINES[code], code, HZ, ON)
    assert route["followers"] == FOLLOWERS[code]
    assert route["citation"].startswith("杭政办函〔2023〕33号 ")


@pytest.mark.parametrize("case", FLIPS, ids=flip_id)
def test_one_fact_flipped_fails_exactly_that_condition(case):
    code, path, value, label = case
    assert_fails_only(with_fact(BASELINES[code], path, value), code, HZ, ON, label)


@pytest.mark.parametrize("code", sorted(BASELINES))
def test_every_condition_has_a_failing_case(code):
    check_flip_table(BASELINES, FLIPS, HZ, ON, code)


# --- alternatives that also pass ---------------------------------------------------------------
@pytest.mark.parametrize(
    "code, changes",
    [
        ("hz.college_graduate", {"education": "bachelor"}),
        ("hz.college_graduate", {"education": "doctor"}),
        ("hz.master_first", {"education": "doctor"}),
        ("hz.master_first", {"employment": {"employed": True, "in_target": False}}),  # a job elsewhere is fine
        ("hz.technician", {"vocational_level": "level1"}),  # 高级技师
        ("hz.technician", {"residence.kind": "owned"}),
        ("hz.senior_worker", {"vocational_level": "level2"}),
        ("hz.senior_worker", {"vocational_level": "level1"}),
        ("hz.elderly_join", {"residence.permit": False, "hukou.in_yrd": True}),  # 长三角: no permit needed
        ("hz.elderly_join", {"joining.sponsor_has_stable_residence": False,
                             "residence.stable_residence_in_target": True}),  # the parent's own home
        ("hz.elderly_join", {"sex": "M", "birth_date": "1960-01-20"}),
        ("hz.spouse_join", {"residence.permit": True}),  # a permit does no harm
        ("hz.spouse_join", {"sex": "M"}),
    ],
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()),
)
def test_alternative_facts_that_also_qualify(code, changes):
    assert_eligible(with_facts(BASELINES[code], changes), code, HZ, ON)


# --- ages: "X周岁以下" excludes X ---------------------------------------------------------------------
AGE_LIMITS = [
    ("hz.college_graduate", 35, UNDER_35),
    ("hz.master_first", 45, UNDER_45),
    ("hz.technician", 45, UNDER_45),
    ("hz.senior_worker", 35, UNDER_35),
]


@pytest.mark.parametrize("code, limit, label", AGE_LIMITS, ids=[c for c, _, _ in AGE_LIMITS])
@pytest.mark.parametrize("birthday", ["the day before", "on the birthday", "a year later"])
def test_age_limits_exclude_the_stated_age(code, limit, label, birthday):
    birth = {
        "the day before": born_day_before_turning(limit, ON),  # still limit - 1: passes
        "on the birthday": born_turning(limit, ON),
        "a year later": born_turning(limit + 1, ON),
    }[birthday]
    facts = with_fact(BASELINES[code], "birth_date", birth)
    if birthday == "the day before":
        assert_eligible(facts, code, HZ, ON)
    else:
        assert_fails_only(facts, code, HZ, ON, label)


@pytest.mark.parametrize(
    "on, ok",
    [("2027-02-28", True), ("2027-03-01", False)],  # born 29 Feb 1992: turns 35 on 1 March 2027
)
def test_college_graduate_born_on_29_february(on, ok):
    facts = with_fact(BASELINES["hz.college_graduate"], "birth_date", "1992-02-29")
    if ok:
        assert_eligible(facts, "hz.college_graduate", HZ, on)
    else:
        assert_fails_only(facts, "hz.college_graduate", HZ, on, UNDER_35)


@pytest.mark.parametrize(
    "sex, birth_date, on, ok",
    [
        ("M", born_day_before_turning(60, ON), ON, False),
        ("M", born_turning(60, ON), ON, True),
        ("F", born_day_before_turning(55, ON), ON, False),
        ("F", born_turning(55, ON), ON, True),
        ("M", born_turning(58, ON), ON, False),
        ("F", "1972-02-29", "2027-02-28", False),  # 29 Feb: 55 only on 1 March of a common year
        ("F", "1972-02-29", "2027-03-01", True),
    ],
)
def test_elderly_join_men_60_women_55(sex, birth_date, on, ok):
    facts = with_facts(BASELINES["hz.elderly_join"], {"sex": sex, "birth_date": birth_date})
    if ok:
        assert_eligible(facts, "hz.elderly_join", HZ, on)
    else:
        assert_fails_only(facts, "hz.elderly_join", HZ, on, ELDERLY_AGE)


# --- skilled routes: 6 months paid normally by the employer, 补缴 and YRD months excluded ----------
@pytest.mark.parametrize("code", ["hz.technician", "hz.senior_worker"])
@pytest.mark.parametrize(
    "insurance, ok",
    [
        ({"local_months": 6}, True),
        ({"local_months": 6, "back_paid_months": 1}, False),  # only 5 paid normally
        ({"local_months": 7, "back_paid_months": 1}, True),
        ({"local_months": 6, "back_paid_months": 6}, False),
        ({"local_months": 5}, False),
        ({"local_months": 5, "yrd_transferred_months": 1}, False),  # YRD months do not count in Hangzhou
        ({"local_months": 0, "yrd_transferred_months": 24}, False),
    ],
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else str(v),
)
def test_skilled_routes_count_only_months_paid_normally_here(code, insurance, ok):
    facts = with_fact(BASELINES[code], "social_insurance", insurance)
    if ok:
        assert_eligible(facts, code, HZ, ON)
    else:
        assert_fails_only(facts, code, HZ, ON, SIX_MONTHS_NORMALLY_PAID)


# --- the three counties: open settlement -----------------------------------------------------------
COUNTY_RESIDENT = {"birth_date": "1980-05-05", "sex": "M", "residence": {"stable_residence_in_target": True}}


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize(
    "changes, ok",
    [
        ({}, True),  # a home in the county
        ({"residence.stable_residence_in_target": False}, False),
        ({"residence.stable_residence_in_target": False, "employment.employed": True,
          "employment.in_target": True}, True),  # or a job there
        ({"residence.stable_residence_in_target": False, "employment.employed": True,
          "employment.in_target": False}, False),  # a job elsewhere is not enough
    ],
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) or "baseline" if isinstance(v, dict) else str(v),
)
def test_county_open_needs_a_home_or_a_job_in_the_county(county, changes, ok):
    facts = with_facts(COUNTY_RESIDENT, changes)
    route = outcome(facts, "hz.county_open", county, ON)
    assert route["eligible"] is ok
    assert failing(route) == ([] if ok else [COUNTY_HOME_OR_JOB])
    assert route["followers"] == []
    assert route["citation"] == "杭政办函〔2023〕33号 二(五)"


# --- hz.points: residence-permit points --------------------------------------------------------------
UNCONFIGURED = ("个人所得税", "居住年限", "社会保险缴纳年限")


def points_label(total, threshold: int = 100, unconfigured=UNCONFIGURED, configured=("年龄",)) -> str:
    """The public is told the truth: which indicators have tables (杭政 二(四); the rest score 0)."""
    text = f"{POINTS_LINE}（积分 {total}，分数线 {threshold}"
    if unconfigured:
        text += (f"；积分指标计分表以公安机关公布为准，目前仅{'、'.join(configured)}指标已配置，"
                 f"未配置的暂计 0 分：{'、'.join(unconfigured)}")
    return text + "）"


def points_route(facts: dict, on: str = ON) -> dict:
    """hz.points with its points condition alone (the other one: the hukou is not there yet)."""
    route = outcome(facts, "hz.points", HZ, on)
    registered, condition = route["conditions"]
    assert registered == {"label": NOT_REGISTERED_THERE, "ok": True}
    assert condition["ok"] is route["eligible"]
    return {**route, "conditions": [condition]}


def test_points_the_public_is_told_only_the_age_indicator_is_configured():
    [condition] = points_route({"birth_date": born_turning(30, ON), "sex": "M"})["conditions"]
    assert "积分指标计分表以公安机关公布为准，目前仅年龄指标已配置" in condition["label"]


def hz_indicator(code: str) -> PointsIndicator:
    return PointsIndicator.objects.get(scheme__jurisdiction__code=HZ, code=code)


@pytest.fixture
def income_tax_scale():
    """The policy admin fills the income-tax table: 1 point per 100 yuan (the cap of 80 is seeded)."""
    PointsBand.objects.create(
        indicator=hz_indicator("income_tax"), lower=Decimal(0), upper=None, points=Decimal(0),
        points_per_unit=Decimal("0.01"),
    )


@pytest.mark.parametrize(
    "age, points",
    [
        (16, 0), (17, 0),  # under 18 scores nothing
        (18, 30), (25, 30), (40, 30),  # 18–40: 30
        (41, 28), (42, 26), (45, 20), (50, 10), (54, 2),  # each year over 40 takes 2 off
        (55, 0), (56, 0), (70, 0),  # down to 0, never below
    ],
)
def test_points_age_indicator(age, points):
    route = points_route({"birth_date": born_turning(age, ON), "sex": "F"})
    assert route["eligible"] is False
    assert failing(route) == [points_label(points)]


@pytest.mark.parametrize(
    "birth_date, points",
    [
        (born_day_before_turning(41, ON), 30),  # still 40
        (born_turning(41, ON), 28),
        (born_day_before_turning(18, ON), 0),  # still 17
        (born_turning(18, ON), 30),
    ],
)
def test_points_age_changes_on_the_birthday(birth_date, points):
    assert points_route({"birth_date": birth_date, "sex": "M"})["conditions"][0]["label"] == points_label(points)


def test_points_label_names_the_indicator_tables_not_configured_yet():
    route = points_route({"birth_date": born_turning(30, ON), "sex": "M", "points": {"income_tax": 50000}})
    assert route["conditions"] == [{"label": points_label(30), "ok": False}]


def test_points_threshold_comes_from_the_scheme_row():
    thirty = {"birth_date": born_turning(30, ON), "sex": "M"}
    forty_one = {"birth_date": born_turning(41, ON), "sex": "M"}
    assert points_route(thirty)["eligible"] is False

    scheme = PointsScheme.objects.get(jurisdiction__code=HZ)
    scheme.threshold = Decimal(30)  # 积分落户分数线将根据城市承载能力适时进行调整
    scheme.save()

    assert points_route(thirty)["conditions"] == [{"label": points_label(30, threshold=30), "ok": True}]
    assert points_route(forty_one)["conditions"] == [{"label": points_label(28, threshold=30), "ok": False}]


def test_raising_the_threshold_closes_the_route(income_tax_scale):
    facts = {"birth_date": born_turning(30, ON), "sex": "M", "points": {"income_tax": 7000}}
    assert points_route(facts)["eligible"] is True
    scheme = PointsScheme.objects.get(jurisdiction__code=HZ)
    scheme.threshold = Decimal(120)
    scheme.save()
    assert points_route(facts)["eligible"] is False


CONFIGURED_TAX = ("居住年限", "社会保险缴纳年限")


@pytest.mark.parametrize(
    "income_tax, total, ok",
    [
        (0, 30, False),
        (6900, 99, False),  # one point short
        (7000, 100, True),  # the line itself qualifies (满100分)
        (8000, 110, True),  # 80 is the indicator's cap
        (1_000_000, 110, True),  # …however much tax was paid
    ],
)
def test_points_income_tax_band_counts_once_configured(income_tax_scale, income_tax, total, ok):
    facts = {"birth_date": born_turning(30, ON), "sex": "F", "points": {"income_tax": income_tax}}
    route = points_route(facts)
    assert route["eligible"] is ok
    assert route["conditions"] == [
        {"label": points_label(total, unconfigured=CONFIGURED_TAX, configured=("年龄", "个人所得税")), "ok": ok}
    ]


POINTS_BASELINE = {"birth_date": born_turning(30, ON), "sex": "M", "points": {"income_tax": 7000}}


def test_points_baseline_passes(income_tax_scale):
    """30 for the age plus 70 for 7000 yuan of income tax: exactly the line of 100."""
    route = assert_eligible(POINTS_BASELINE, "hz.points", HZ, ON)
    assert route["followers"] == []
    assert route["citation"] == "杭政办函〔2023〕33号 二(四)"


@pytest.mark.parametrize(
    "path, value, total",
    [
        ("points.income_tax", 6999, "99.99"),
        ("birth_date", born_turning(41, ON), "98"),
        ("birth_date", born_day_before_turning(18, ON), "70"),
    ],
)
def test_points_one_fact_flipped_fails(income_tax_scale, path, value, total):
    route = outcome(with_fact(POINTS_BASELINE, path, value), "hz.points", HZ, ON)
    assert route["eligible"] is False
    assert failing(route) == [
        points_label(total, unconfigured=CONFIGURED_TAX, configured=("年龄", "个人所得税"))
    ]


def test_points_with_every_table_configured_the_label_has_no_warning(income_tax_scale):
    for code in ("residence_years", "social_insurance_years"):
        PointsBand.objects.create(indicator=hz_indicator(code), lower=Decimal(0), upper=None,
                                  points=Decimal(0), points_per_unit=Decimal(5))
    facts = {"birth_date": born_turning(30, ON), "sex": "M",
             "points": {"income_tax": 0, "residence_years": 8, "social_insurance_years": 6}}
    route = points_route(facts)
    assert route["conditions"] == [{"label": points_label(100, unconfigured=()), "ok": True}]


# --- in force ---------------------------------------------------------------------------------------
HZ_CITY_ROUTES = {"hz.college_graduate", "hz.master_first", "hz.technician", "hz.senior_worker",
                  "hz.elderly_join", "hz.spouse_join", "hz.points"}


@pytest.mark.parametrize(
    "on, expected",
    [("2023-05-07", set()), (IN_FORCE, HZ_CITY_ROUTES), ("2023-07-06", HZ_CITY_ROUTES)],
)
def test_hangzhou_city_routes_are_in_force_from_8_may_2023(on, expected):
    assert route_codes(HZ, on) == expected


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize(
    "on, expected",
    [("2023-05-07", set()), (IN_FORCE, {"hz.county_open"}), ("2023-07-06", {"hz.county_open"})],
)
def test_county_route_is_in_force_from_8_may_2023(county, on, expected):
    assert route_codes(county, on) == expected


# --- materials follow the facts --------------------------------------------------------------------
@pytest.mark.parametrize("code", ["hz.technician", "hz.senior_worker"])
@pytest.mark.parametrize("kind, asked, not_asked", [
    ("rented", "rental_registration", "property_certificate"),  # a renter cannot have a 房屋权属证明
    ("owned", "property_certificate", "rental_registration"),
])
def test_skilled_routes_ask_the_proof_of_the_home_the_person_has(code, kind, asked, not_asked):
    codes = materials(with_fact(BASELINES[code], "residence.kind", kind), code, ON)
    assert asked in codes and not_asked not in codes


@pytest.mark.parametrize("in_yrd, permit_asked", [(True, False), (False, True)])
def test_elderly_join_asks_a_residence_permit_only_outside_the_yrd(in_yrd, permit_asked):
    codes = materials(with_fact(BASELINES["hz.elderly_join"], "hukou.in_yrd", in_yrd), "hz.elderly_join", ON)
    assert ("residence_permit" in codes) is permit_asked


def test_spouse_join_checklist():
    assert materials(BASELINES["hz.spouse_join"], "hz.spouse_join", ON) == [
        "id_card", "hukou_booklet", "marriage_certificate", "sponsor_hukou", "family_relation"]


@pytest.mark.parametrize("county", COUNTIES)
def test_county_open_refuses_someone_already_registered_in_the_county(county):
    facts = with_fact(COUNTY_RESIDENT, "hukou.in_target", True)
    assert failing(outcome(facts, "hz.county_open", county, ON)) == [NOT_REGISTERED_THERE]
