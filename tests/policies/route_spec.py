"""Vocabulary of the route-by-route specification tests (test_routes_*.py, test_layering.py).

A route's specification is a passing *baseline* of facts plus a table of one-fact flips, each naming
the one condition label that must then be the only failing one. The helpers below build those facts
and read the engine's answer through tests/policies/helpers.py.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

from tests.policies.helpers import birth_date_for_age, evaluate, route_result

ABSENT = object()
"""Use as the value of a flip to remove the fact (a missing fact means no / zero / none)."""

SOMEONE = {"birth_date": "1990-06-15", "sex": "M"}
"""The least a declaration holds: enough to list the routes in force somewhere."""


def with_fact(facts: dict, path: str, value) -> dict:
    """A deep copy of ``facts`` with the dotted ``path`` set to ``value`` (or removed, for ABSENT)."""
    changed = copy.deepcopy(facts)
    node = changed
    *parents, leaf = path.split(".")
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    if value is ABSENT:
        node.pop(leaf, None)
    else:
        node[leaf] = value
    return changed


def with_facts(facts: dict, changes: dict) -> dict:
    for path, value in changes.items():
        facts = with_fact(facts, path, value)
    return facts


def outcome(facts: dict, code: str, jurisdiction: str, on: str) -> dict:
    return route_result(evaluate(facts, jurisdiction, on), code)


def failing(route: dict) -> list[str]:
    return [condition["label"] for condition in route["conditions"] if not condition["ok"]]


def assert_eligible(facts: dict, code: str, jurisdiction: str, on: str) -> dict:
    route = outcome(facts, code, jurisdiction, on)
    assert route["eligible"] is True, f"{code} on {on}: failing {failing(route)}"
    assert failing(route) == []
    return route


def assert_fails_only(facts: dict, code: str, jurisdiction: str, on: str, label: str) -> dict:
    """Not eligible, and ``label`` is the one and only failing condition."""
    route = outcome(facts, code, jurisdiction, on)
    assert route["eligible"] is False, f"{code} on {on} should not pass"
    assert failing(route) == [label]
    return route


def route_codes(jurisdiction: str, on: str, facts: dict = SOMEONE) -> set[str]:
    return {route["code"] for route in evaluate(facts, jurisdiction, on)["routes"]}


def flip_id(case) -> str:
    """pytest id of a (code, path, value, label) flip: ``kq.title-employment.contract_months=11``."""
    code, path, value, _label = case
    shown = "absent" if value is ABSENT else value
    return f"{code}-{path}={shown}"


def check_flip_table(baselines: dict, flips: list, jurisdiction: str, on: str, code: str) -> None:
    """Every condition of ``code`` is the target of at least one flip, and of nothing else."""
    route = assert_eligible(baselines[code], code, jurisdiction, on)
    labels = [condition["label"] for condition in route["conditions"]]
    flipped = {label for flip_code, _path, _value, label in flips if flip_code == code}
    assert len(labels) == len(set(labels)), f"{code}: two conditions share a label"
    assert flipped == set(labels), f"{code}: conditions without a failing case {set(labels) - flipped}"


# --- ages and dates ------------------------------------------------------------------------------
def born_turning(age: int, on: str) -> str:
    """Born exactly ``age`` years before ``on``: ``on`` is the ``age``-th birthday."""
    return birth_date_for_age(age, on)


def born_day_before_turning(age: int, on: str) -> str:
    """Turns ``age`` the day after ``on``: on ``on`` the person is still ``age - 1``."""
    return birth_date_for_age(age, on, days_before_birthday=1)


def day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


# --- settling where one is already registered is not a settlement ------------------------------------
NOT_REGISTERED_THERE = "户口不在落户地（户口已在当地的无需办理落户）"


def already_registered_flips(codes) -> list:
    """One flip per route: a hukou already in the target fails exactly that condition."""
    return [(code, "hukou.in_target", True, NOT_REGISTERED_THERE) for code in sorted(codes)]


# --- materials follow the facts -----------------------------------------------------------------------
def materials(facts: dict, code: str, on: str) -> list[str]:
    """The checklist codes a person with these facts is asked for on this route."""
    from policies.eligibility.checklist import checklist_applicable
    from policies.models import SettlementRoute

    checklist = SettlementRoute.objects.get(code=code).material_checklist
    return [item["code"] for item in checklist_applicable(checklist, facts, date.fromisoformat(on))]
