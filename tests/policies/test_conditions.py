"""The condition language of route criteria (policies/eligibility/conditions.py), without the database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.eligibility.catalogue import PointsResult
from policies.eligibility.conditions import (
    EvaluationContext,
    add_years,
    age_on,
    compile_criteria,
    compile_rule,
    uses_points,
)
from policies.eligibility.errors import ConditionError
from policies.eligibility.facts import flatten_facts, validate_facts

ON = date(2024, 3, 1)
PERSON = {
    "birth_date": "1990-05-01",
    "sex": "F",
    "education": "bachelor",
    "graduation_date": "2012-06-30",
    "honors": ["model_worker"],
    "employment": {"employed": True, "contract_months": 24},
    "social_insurance": {"local_months": 10, "back_paid_months": 3},
    "residence": {"kind": None},
}


def context(facts: dict | None = None, on: date = ON, points_source=None) -> EvaluationContext:
    facts = PERSON if facts is None else facts
    validate_facts(facts, on=on)
    flat = flatten_facts(facts)
    return EvaluationContext(flat, on, age_on(flat["birth_date"], on), points_source)


def run(rule, facts: dict | None = None, on: date = ON, points: PointsResult | None = None):
    return compile_rule(rule)(context(facts, on, lambda ctx: points))


def refused(rule) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        compile_rule(rule)
    return caught.value


def var(path):
    return {"var": path}


SCHEME = PointsResult(total=Decimal("110.5"), threshold=Decimal("100"), scheme="测试方案", unconfigured=())


# --- variables and literals ---------------------------------------------------------------------
def test_var_reads_declared_values_and_defaults():
    assert run(var("sex")) == "F"
    assert run(var("employment.contract_months")) == 24
    assert run(var("employment.employed")) is True
    assert run(var("graduation_date")) == date(2012, 6, 30)  # dates come as dates
    assert run(var("honors")) == ("model_worker",)


def test_var_absent_means_no_zero_none():
    assert run(var("employment.in_target")) is False  # boolean → False
    assert run(var("business.tax_months")) == 0  # integer → 0
    assert run(var("marital_status")) is None  # enum → None
    assert run(var("residence.kind")) is None  # explicit null → None
    assert run(var("joining.relation")) is None  # no joining object at all
    assert run(var("overseas_returnee")) is False


def test_var_with_a_default():
    assert run({"var": ["marital_status", "single"]}) == "single"
    assert run({"var": ["sex", "M"]}) == "F"


def test_literals():
    assert run({"==": [1, 1]}) is True
    assert run({"==": ["a", "a"]}) is True
    assert run({"==": [None, None]}) is True
    assert run({"date": "2023-07-07"}) == date(2023, 7, 7)
    assert run({"if": [True, [1, 2], []]}) == [1, 2]


def test_eval_date_and_age():
    assert run({"eval_date": []}) == ON
    assert run({"age": []}) == 33  # born 1990-05-01, 2024-03-01
    assert run({"age": []}, on=date(2024, 5, 1)) == 34  # reached on the birthday itself
    assert run({"age": []}, on=date(2024, 4, 30)) == 33


def test_points_and_threshold():
    assert run({"points": []}, points=SCHEME) == Decimal("110.5")
    assert run({"points_threshold": []}, points=SCHEME) == Decimal("100")
    assert run({">=": [{"points": []}, {"points_threshold": []}]}, points=SCHEME) is True
    assert run({">=": [{"points": []}, 100]}, points=SCHEME) is True  # a Decimal compares with a literal
    assert run({"<": [{"points": []}, 110.6]}, points=SCHEME) is True
    # No scheme in force: no points, and no comparison holds
    assert run({"points": []}) is None
    assert run({">=": [{"points": []}, {"points_threshold": []}]}) is False
    assert run({"<": [{"points": []}, 1000]}) is False


def test_points_are_computed_once_per_evaluation():
    calls = []

    def source(ctx):
        calls.append(1)
        return SCHEME

    flat = flatten_facts(PERSON)
    ctx = EvaluationContext(flat, ON, 33, source)
    rule = compile_rule({"and": [{">=": [{"points": []}, {"points_threshold": []}]}, {">": [{"points": []}, 0]}]})
    assert rule(ctx) is True
    assert calls == [1]
    assert EvaluationContext(flat, ON, 33).points() is None  # no source at all


# --- comparisons --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("op", "a", "b", "expected"),
    [
        ("==", 1, 1, True), ("==", 1, 2, False), ("===", "a", "a", True), ("===", "a", "b", False),
        ("!=", 1, 2, True), ("!=", 1, 1, False), ("!==", "a", "b", True), ("!==", "a", "a", False),
        ("<", 1, 2, True), ("<", 2, 2, False), ("<", 3, 2, False),
        ("<=", 1, 2, True), ("<=", 2, 2, True), ("<=", 3, 2, False),
        (">", 2, 1, True), (">", 2, 2, False), (">", 1, 2, False),
        (">=", 2, 1, True), (">=", 2, 2, True), (">=", 1, 2, False),
        ("<", 1, 1.5, True), (">=", 2.0, 2, True),
    ],
)
def test_each_comparison(op, a, b, expected):
    assert run({op: [a, b]}) is expected


def test_comparisons_of_facts_and_dates():
    assert run({">=": [var("employment.contract_months"), 12]}) is True
    assert run({"<": [var("employment.contract_months"), 24]}) is False
    assert run({"<": [var("graduation_date"), {"date": "2012-07-01"}]}) is True
    assert run({">": [{"eval_date": []}, {"date": "2024-02-29"}]}) is True
    assert run({"<=": [{"eval_date": []}, {"date": "2024-03-01"}]}) is True


@pytest.mark.parametrize(
    ("op", "args", "expected"),
    [
        ("<", [18, 30, 35], True),
        ("<", [18, 18, 35], False),  # strict at the low end
        ("<", [18, 35, 35], False),  # strict at the high end
        ("<=", [18, 18, 35], True),
        ("<=", [18, 35, 35], True),
        ("<=", [18, 36, 35], False),
        ("<=", [18, 17, 35], False),
    ],
)
def test_between(op, args, expected):
    assert run({op: args}) is expected


def test_between_with_facts():
    assert run({"<=": [18, {"age": []}, 40]}) is True
    assert run({"<": [{"date": "2012-01-01"}, var("graduation_date"), {"date": "2012-06-30"}]}) is False
    assert run({"<": [0, var("business.tax_months"), 10]}) is False  # absent → 0, and 0 < 0 fails


def test_comparisons_with_absent_values_are_false():
    absent_date = var("joining.relation")
    for op in ("<", "<=", ">", ">="):
        assert run({op: [absent_date, 1]}) is False
        assert run({op: [1, absent_date]}) is False
        assert run({op: [None, None]}) is False
    facts = dict(PERSON)
    del facts["graduation_date"]
    within_15_years = {">=": [{"add_years": [var("graduation_date"), 15]}, {"eval_date": []}]}
    assert run(within_15_years) is True
    assert run(within_15_years, facts=facts) is False  # no graduation date: not within any period
    assert run({"!": [within_15_years]}, facts=facts) is True
    assert run({"<=": [var("graduation_date"), {"eval_date": []}]}, facts=facts) is False
    assert run({"<=": [1, absent_date, 5]}) is False  # between with an absent middle


def test_comparisons_of_unlike_types_are_false():
    assert run({"<": ["a", 1]}) is False
    assert run({">=": [var("graduation_date"), 2000]}) is False
    assert run({"<": [True, 2]}) is False  # booleans are not numbers here
    assert run({"==": [var("education"), None]}) is False
    assert run({"==": [var("marital_status"), None]}) is True  # equality with null is how "absent" is asked


# --- logic --------------------------------------------------------------------------------------
def test_and_or_not_truthy():
    true, false = {"==": [1, 1]}, {"==": [1, 2]}
    assert run({"and": [true, true]}) is True
    assert run({"and": [true, false]}) is False
    assert run({"and": [true]}) is True
    assert run({"or": [false, true]}) is True
    assert run({"or": [false, false]}) is False
    assert run({"!": [true]}) is False
    assert run({"!": [false]}) is True
    assert run({"!": true}) is False  # a single argument need not be wrapped
    assert run({"!!": [var("employment.employed")]}) is True
    assert run({"!!": [var("business.tax_months")]}) is False
    assert run({"!!": [[]]}) is False


def test_and_or_short_circuit():
    def no_points(ctx):
        raise AssertionError("evaluated an operand after the answer was known")

    points_rule = {">=": [{"points": []}, 1]}
    assert compile_rule({"and": [{"==": [1, 2]}, points_rule]})(context(points_source=no_points)) is False
    assert compile_rule({"or": [{"==": [1, 1]}, points_rule]})(context(points_source=no_points)) is True
    assert compile_rule({"if": [True, 1, points_rule]})(context(points_source=no_points)) == 1


@pytest.mark.django_db  # honour codes come from the policy table
def test_in():
    assert run({"in": [var("education"), ["bachelor", "master"]]}) is True
    assert run({"in": [var("education"), ["master", "doctor"]]}) is False
    assert run({"in": ["model_worker", var("honors")]}) is True
    assert run({"in": ["outstanding_migrant_worker", var("honors")]}) is False
    assert run({"in": ["model_worker", var("honors")]}, facts={"birth_date": "1990-01-01", "sex": "M"}) is False
    assert run({"in": ["ab", "cabd"]}) is True  # substring
    assert run({"in": [1, "123"]}) is False  # a non-string is never in a string
    assert run({"in": [var("marital_status"), ["single", "married"]]}) is False  # absent
    assert run({"in": [1, None]}) is False


def test_if():
    assert run({"if": [{"==": [var("sex"), "F"]}, "woman", "man"]}) == "woman"
    assert run({"if": [{"==": [var("sex"), "M"]}, "man", "woman"]}) == "woman"
    chain = {"if": [{"<": [{"age": []}, 18]}, "minor", {"<": [{"age": []}, 60]}, "adult", "senior"]}
    assert run(chain) == "adult"
    assert run(chain, facts={"birth_date": "2010-01-01", "sex": "M"}) == "minor"
    assert run(chain, facts={"birth_date": "1950-01-01", "sex": "M"}) == "senior"


# --- arithmetic ---------------------------------------------------------------------------------
def test_arithmetic():
    assert run({"+": [1, 2, 3]}) == 6
    assert run({"+": [var("social_insurance.local_months"), var("social_insurance.yrd_transferred_months")]}) == 10
    assert run({"-": [var("social_insurance.local_months"), var("social_insurance.back_paid_months")]}) == 7
    assert run({"-": [5]}) == -5
    assert run({"*": [2, 3, 4]}) == 24
    assert run({"max": [1, 7, 3]}) == 7
    assert run({"min": [4, 2, 9]}) == 2
    assert run({"+": [None, 2]}) == 2  # absent counts as 0 …
    assert run({"+": [var("employment.employed"), 1]}) == 1  # … and so does a boolean
    assert run({"max": [None]}) == 0


def test_seeded_social_insurance_months_rule():
    """Local months, plus YRD-transferred months on and after 2023-07-07 (浙政)."""
    rule = {"+": [var("social_insurance.local_months"),
                  {"if": [{">=": [{"eval_date": []}, {"date": "2023-07-07"}]},
                          var("social_insurance.yrd_transferred_months"), 0]}]}
    facts = {"birth_date": "1990-01-01", "sex": "M",
             "social_insurance": {"local_months": 2, "yrd_transferred_months": 5}}
    assert run(rule, facts=facts, on=date(2023, 7, 6)) == 2
    assert run(rule, facts=facts, on=date(2023, 7, 7)) == 7


# --- what is refused, and where -----------------------------------------------------------------
def test_unknown_operator_is_refused_where_it_is():
    error = refused({"and": [{"==": [1, 1]}, {"~=": [1, 1]}]})
    assert error.path == "rule.and[1]"
    assert "~=" in error.message
    assert refused({"between": [1, 2, 3]}).path == "rule"


def test_unknown_var_path_is_refused_where_it_is():
    error = refused({"and": [{"==": [var("sex"), "M"]}, {">=": [var("employment.salary"), 1]}]})
    assert error.path == "rule.and[1].>=[0].var"
    assert "employment.salary" in error.message
    # > and >= are compiled reversed; the path still points at the argument as written
    assert refused({">": [1, var("nope")]}).path == "rule.>[1].var"
    assert refused({">": [var("nope"), 1]}).path == "rule.>[0].var"
    assert refused({"<": [1, var("also.nope"), 3]}).path == "rule.<[1].var"
    assert refused({"var": "employment"}).path == "rule.var"  # a group, not a fact
    assert refused({"var": 3}).path == "rule.var"


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ({"==": [1]}, "rule.=="),
        ({"==": [1, 2, 3]}, "rule.=="),
        ({"!=": [1]}, "rule.!="),
        ({">": [1, 2, 3]}, "rule.>"),  # no between form for > and >=
        ({">=": [1]}, "rule.>="),
        ({"<": [1]}, "rule.<"),
        ({"<=": [1, 2, 3, 4]}, "rule.<="),
        ({"and": []}, "rule.and"),
        ({"or": []}, "rule.or"),
        ({"!": [1, 2]}, "rule.!"),
        ({"!!": []}, "rule.!!"),
        ({"in": [1]}, "rule.in"),
        ({"if": [True, 1]}, "rule.if"),
        ({"if": [True]}, "rule.if"),
        ({"-": [1, 2, 3]}, "rule.-"),
        ({"*": [2]}, "rule.*"),
        ({"+": []}, "rule.+"),
        ({"max": []}, "rule.max"),
        ({"var": []}, "rule.var"),
        ({"var": ["sex", "M", "F"]}, "rule.var"),
        ({"age": [1]}, "rule.age"),
        ({"eval_date": [ON.isoformat()]}, "rule.eval_date"),
        ({"points": [1]}, "rule.points"),
        ({"add_years": [{"eval_date": []}]}, "rule.add_years"),
        ({"and": [{"or": [{"==": [1]}]}]}, "rule.and[0].or[0].=="),
    ],
)
def test_wrong_arity_is_refused_where_it_is(rule, path):
    error = refused(rule)
    assert error.path == path
    assert "参数" in error.message


@pytest.mark.django_db  # honour codes come from the policy table
def test_enum_typo_is_refused():
    error = refused({"and": [{"==": [var("sex"), "F"]}, {"==": [var("education"), "bachlor"]}]})
    assert error.path == "rule.and[1].=="
    assert "bachlor" in error.message and "bachelor" in error.message  # says what is allowed
    assert refused({"==": ["bachlor", var("education")]}).path == "rule.=="
    assert refused({"!=": [var("sex"), "male"]}).path == "rule.!="
    assert refused({"in": [var("education"), ["bachelor", "masters"]]}).path == "rule.in"
    assert refused({"in": ["model_workr", var("honors")]}).path == "rule.in"  # array items are an enum too
    assert refused({"==": [var("residence.kind"), "leased"]}).path == "rule.=="
    # the right spellings, null included where the schema allows it, pass
    compile_rule({"==": [var("education"), "bachelor"]})
    compile_rule({"==": [var("residence.kind"), None]})
    compile_rule({"in": ["outstanding_migrant_worker", var("honors")]})


def test_malformed_rules_are_refused():
    assert refused([{"==": [1, 1]}]).path == "rule"  # a rule is an operation object
    assert refused("sex").path == "rule"
    assert refused({"==": [1, 1], "!=": [1, 2]}).path == "rule"  # one operator per object
    assert refused({"and": [{}]}).path == "rule.and[0]"
    assert refused({"==": [var("sex"), {"M", "F"}]}).path == "rule.==[1]"  # not a JSON value
    error = refused({">=": [{"eval_date": []}, {"date": "2023-02-30"}]})
    assert error.path == "rule.>=[1].date"
    assert "2023-02-30" in error.message


def test_compile_criteria():
    compiled = compile_criteria([
        {"label": "女性", "rule": {"==": [var("sex"), "F"]}},
        {"label": "积分达线", "rule": {">=": [{"points": []}, {"points_threshold": []}]}},
    ])
    assert [(label, points) for label, _, points in compiled] == [("女性", False), ("积分达线", True)]
    ctx = context(points_source=lambda ctx: SCHEME)
    assert [bool(evaluate(ctx)) for _, evaluate, _ in compiled] == [True, True]


@pytest.mark.parametrize(
    ("criteria", "path"),
    [
        ([], ""),
        ({"label": "x", "rule": {"==": [1, 1]}}, ""),
        (None, ""),
        ([{"label": "x"}], "第 1 条"),
        ([{"label": "x", "rule": {"==": [1, 1]}, "note": "n"}], "第 1 条"),
        (["x"], "第 1 条"),
        ([{"label": "  ", "rule": {"==": [1, 1]}}], "第 1 条.label"),
        ([{"label": 3, "rule": {"==": [1, 1]}}], "第 1 条.label"),
        ([{"label": "ok", "rule": {"==": [1, 1]}}, {"label": "x", "rule": {"==": [var("sex"), "W"]}}],
         "第 2 条.rule.=="),
        ([{"label": "ok", "rule": {"==": [1, 1]}}, {"label": "x", "rule": {"and": [{"var": "nope"}]}}],
         "第 2 条.rule.and[0].var"),
        ([{"label": "x", "rule": True}], "第 1 条.rule"),
    ],
)
def test_compile_criteria_refuses_with_the_place(criteria, path):
    with pytest.raises(ConditionError) as caught:
        compile_criteria(criteria)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: " if path else caught.value.message)


def test_uses_points():
    assert uses_points({"and": [{"==": [1, 1]}, {">=": [{"points": []}, 100]}]})
    assert uses_points({"<": [{"points_threshold": []}, 1]})
    assert not uses_points({"and": [{"==": [var("sex"), "F"]}]})


# --- dates: add_years and age_on, 29 February ----------------------------------------------------
def test_add_years():
    assert add_years(date(2009, 6, 30), 15) == date(2024, 6, 30)
    assert add_years(date(2000, 2, 29), 4) == date(2004, 2, 29)  # leap to leap
    assert add_years(date(2000, 2, 29), 1) == date(2001, 3, 1)  # 29 Feb falls on 1 March
    assert add_years(date(2000, 2, 29), 100) == date(2100, 3, 1)  # 2100 is not a leap year
    assert add_years(date(2000, 2, 29), -1) == date(1999, 3, 1)
    assert add_years(date(2000, 3, 1), 1) == date(2001, 3, 1)


def test_add_years_in_rules():
    facts = {"birth_date": "1980-01-01", "sex": "M", "graduation_date": "2008-02-29"}
    within = {">=": [{"add_years": [var("graduation_date"), 15]}, {"eval_date": []}]}
    assert run({"add_years": [var("graduation_date"), 15]}, facts=facts) == date(2023, 3, 1)
    assert run(within, facts=facts, on=date(2023, 2, 28)) is True
    assert run(within, facts=facts, on=date(2023, 3, 1)) is True  # the anniversary is 1 March
    assert run(within, facts=facts, on=date(2023, 3, 2)) is False
    assert run({"add_years": [var("graduation_date"), "15"]}, facts=facts) is None  # not a number
    assert run({"add_years": ["2008-02-29", 15]}, facts=facts) is None  # a string is not a date


def test_age_on():
    assert age_on(date(1990, 5, 1), date(2024, 5, 1)) == 34  # reached on the birthday
    assert age_on(date(1990, 5, 1), date(2024, 4, 30)) == 33
    assert age_on(date(1990, 5, 1), date(1990, 5, 1)) == 0
    assert age_on(date(1990, 12, 31), date(1991, 1, 1)) == 0


def test_age_on_29_february():
    born = date(2000, 2, 29)
    assert age_on(born, date(2001, 2, 28)) == 0
    assert age_on(born, date(2001, 3, 1)) == 1  # common year: reached on 1 March
    assert age_on(born, date(2004, 2, 28)) == 3
    assert age_on(born, date(2004, 2, 29)) == 4  # leap year: on the day itself
    assert age_on(born, date(2018, 2, 28)) == 17
    assert age_on(born, date(2018, 3, 1)) == 18
    assert run({"age": []}, facts={"birth_date": "2000-02-29", "sex": "F"}, on=date(2018, 2, 28)) == 17
    assert run({">=": [{"age": []}, 18]}, facts={"birth_date": "2000-02-29", "sex": "F"}, on=date(2018, 3, 1))


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    years=st.integers(min_value=1, max_value=120),
)
def test_age_is_reached_on_the_anniversary(born, years):
    anniversary = add_years(born, years)
    assert age_on(born, anniversary) == years
    assert age_on(born, anniversary - timedelta(days=1)) == years - 1
    if (born.month, born.day) == (2, 29) and anniversary.month == 3:
        assert anniversary.day == 1
    else:
        assert (anniversary.month, anniversary.day) == (born.month, born.day)
