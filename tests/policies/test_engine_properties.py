"""Properties of the eligibility engine over generated facts (Hypothesis).

Facts are generated from the facts schema itself (policies/data/facts.schema.json): every optional
field sometimes present, enums, booleans, non-negative integers, dates, ``joining`` an object or
null, points under the known codes. For every seeded jurisdiction and any date from 2019 to 2030 the
engine never raises, returns exactly the routes in force there (computed here independently from the
policy rows), and every route's ``eligible`` is a boolean equal to all its conditions being met.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.eligibility import facts as facts_module
from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError
from policies.eligibility.facts import facts_schema
from policies.models import Jurisdiction, SettlementRoute
from policies.seed.catalogue import HONOURS

FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2030, 12, 31)
HONOUR_CODES = [honour["code"] for honour in HONOURS]
POINT_CODES = ("income_tax", "residence_years", "social_insurance_years")
EARLIEST_BIRTH = date(1930, 1, 1)

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- strategies built from the schema ------------------------------------------------------------
points_values = st.one_of(
    st.integers(min_value=0, max_value=500_000),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
)


def strategy_for(name: str, spec: dict) -> st.SearchStrategy:
    """A strategy of values valid under ``spec`` (the subset of JSON Schema the facts schema uses)."""
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "null" in kinds:
        rest = dict(spec, type=[k for k in kinds if k != "null"])
        return st.one_of(st.none(), strategy_for(name, rest))
    if name == "points":
        return st.dictionaries(st.sampled_from(POINT_CODES), points_values)
    if name == "honors":  # codes of the honours policy table (the schema only says what a code looks like)
        return st.lists(st.sampled_from(HONOUR_CODES), unique=True)
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    (kind,) = kinds
    if kind == "object":
        return st.fixed_dictionaries(
            {key: strategy_for(key, sub) for key, sub in spec["properties"].items() if key in spec.get("required", ())},
            optional={
                key: strategy_for(key, sub) for key, sub in spec["properties"].items()
                if key not in spec.get("required", ())
            },
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=spec.get("minimum", -1000), max_value=400)
    if kind == "number":
        return points_values
    if kind == "array":
        return st.lists(st.sampled_from(spec["items"]["enum"]), unique=spec.get("uniqueItems", False))
    if kind == "string" and spec.get("format") == "date":
        return st.dates(min_value=date(1950, 1, 1), max_value=date(2035, 12, 31)).map(date.isoformat)
    raise AssertionError(f"the facts schema grew a construct this strategy does not know: {name}: {spec}")


@st.composite
def facts_and_dates(draw) -> tuple[dict, date]:
    """Schema-valid facts and an evaluation date on or after the birth date."""
    on = draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
    schema = facts_schema()
    facts = draw(strategy_for("facts", schema))
    born = draw(st.dates(min_value=EARLIEST_BIRTH, max_value=on) | st.just(date(2000, 2, 29)))
    facts["birth_date"] = born.isoformat()
    return facts, on


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _places(node, found=None) -> list[tuple[dict | list, str | int]]:
    """Every (container, key) inside the facts, nested objects and lists included."""
    found = [] if found is None else found
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.append((node, key))
        _places(value, found)
    return found


@st.composite
def nearly_valid_facts(draw) -> dict:
    """Schema-valid facts with one to three values replaced by arbitrary JSON, keys added or removed."""
    facts, _ = draw(facts_and_dates())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = _places(facts)
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if action == "add" or not places:
            objects = [facts, *(value for container, key in places if isinstance(value := container[key], dict))]
            target = draw(st.sampled_from(objects))
            target[draw(st.sampled_from(["x", "employed", "in_target", "relation", "points", "sex"]))] = draw(
                json_values
            )
            continue
        container, key = draw(st.sampled_from(places))
        if action == "remove" and isinstance(container, dict):
            del container[key]
        else:
            container[key] = draw(json_values)
    return facts


# --- an independent account of the routes in force ------------------------------------------------
@pytest.fixture
def seeded(db):
    """The seeded jurisdictions and routes, read from the tables (not from the engine's catalogue)."""
    parents = dict(Jurisdiction.objects.values_list("code", "parent__code"))
    lineage = {}
    for code in parents:
        chain, node = set(), code
        while node is not None:
            chain.add(node)
            node = parents[node]
        lineage[code] = chain
    routes = [
        {
            "code": route.code,
            "from": route.document.in_force_from,
            "until": route.document.in_force_until,
            "scope": {j.code for j in route.jurisdictions.all()},
            "excluded": {j.code for j in route.excluded_jurisdictions.all()},
            "followers": list(route.followers),
            "criteria": len(route.criteria),
        }
        for route in SettlementRoute.objects.filter(active=True).select_related("document")
        .prefetch_related("jurisdictions", "excluded_jurisdictions")
    ]
    assert {"sx.kq", "hz.city", "jx", "hz.tonglu"} <= set(lineage)
    assert routes
    return lineage, routes


def routes_in_force(seeded, jurisdiction: str, on: date) -> dict[str, dict]:
    lineage, routes = seeded
    chain = lineage[jurisdiction]
    return {
        route["code"]: route for route in routes
        if route["scope"] & chain and not route["excluded"] & chain
        and route["from"] <= on and (route["until"] is None or on <= route["until"])
    }


@PROPERTY_SETTINGS
@given(case=facts_and_dates())
def test_engine_answers_every_valid_case_with_the_routes_in_force(seeded, case):
    facts, on = case
    lineage, _ = seeded
    for jurisdiction in sorted(lineage):
        result = eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=on)
        assert result["jurisdiction"] == jurisdiction and result["date"] == on.isoformat()
        codes = [route["code"] for route in result["routes"]]
        expected = routes_in_force(seeded, jurisdiction, on)
        assert len(codes) == len(set(codes))
        assert set(codes) == set(expected)
        for route in result["routes"]:
            assert isinstance(route["eligible"], bool)
            assert route["conditions"], route["code"]
            assert len(route["conditions"]) == expected[route["code"]]["criteria"]
            for condition in route["conditions"]:
                assert isinstance(condition["ok"], bool)
                assert isinstance(condition["label"], str) and condition["label"].strip()
            assert route["eligible"] == all(condition["ok"] for condition in route["conditions"])
            assert route["followers"] == expected[route["code"]]["followers"]


@PROPERTY_SETTINGS
@given(case=facts_and_dates())
def test_engine_result_does_not_depend_on_the_fast_validation_path(seeded, case, monkeypatch):
    """The compiled pre-check only saves time: the same answer comes from jsonschema alone."""
    facts, on = case
    assert facts_module._fast_check()(facts)  # generated facts take the fast path …
    fast = eligibility_evaluate(facts=facts, jurisdiction="hz.city", on=on)
    with monkeypatch.context() as patched:
        patched.setattr(facts_module, "_fast_check", lambda: None)  # … and this is the jsonschema path
        slow = eligibility_evaluate(facts=facts, jurisdiction="hz.city", on=on)
    assert fast == slow


def outcome(facts, on: date):
    try:
        facts_module.validate_facts(facts, on=on)
    except EligibilityInputError as error:
        return error.field, error.message
    return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=nearly_valid_facts())
def test_fast_check_never_accepts_what_jsonschema_refuses(facts):
    fast_check = facts_module._fast_check()
    assert fast_check is not None  # the schema uses only keywords the fast check models
    if fast_check(facts):
        assert facts_module._validator().is_valid(facts)
    on = date(2030, 12, 31)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(facts_module, "_fast_check", lambda: None)
        reference = outcome(facts, on)
    assert outcome(facts, on) == reference


@pytest.mark.parametrize(
    "facts",
    [
        {"birth_date": "1990-01-01", "sex": "M", "employment": {"contract_months": 12.0}},  # an integer in JSON Schema
        {"birth_date": "1990-01-01", "sex": "M", "honors": ["model_worker", "model_worker"]},
        {"birth_date": "1990-01-01", "sex": "M", "joining": None, "residence": {"kind": None}},
        {"birth_date": "1990-01-01", "sex": True},
        {"birth_date": "1990-01-01", "sex": "M", "employment": {"contract_months": True}},
        {"birth_date": "1990-01-01", "sex": "M", "points": {"income_tax": False}},
        {"birth_date": "1990-1-01", "sex": "M"},
        {"birth_date": "1990-01-01\n", "sex": "M"},
        {"birth_date": "１９９０-01-01", "sex": "M"},  # full-width digits are not \\d in the date format
        {"birth_date": "1990-01-01", "sex": "M", "graduation_date": None},
        {"birth_date": "1990-01-01", "sex": "M", "social_insurance": {"local_months": -0.0}},
    ],
)
def test_fast_check_agrees_on_edge_cases(facts):
    on = date(2030, 12, 31)
    if facts_module._fast_check()(facts):
        assert facts_module._validator().is_valid(facts)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(facts_module, "_fast_check", lambda: None)
        reference = outcome(facts, on)
    assert outcome(facts, on) == reference
