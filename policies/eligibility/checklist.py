"""Materials follow the facts: a checklist item with a ``when`` rule is asked only of people whose
facts satisfy it (a renter is asked for the lease registration, not a property certificate)."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

from policies.eligibility.conditions import EvaluationContext, Evaluator, age_on, compile_rule
from policies.eligibility.facts import flatten_facts


@lru_cache(maxsize=1024)
def _compiled(rule: str) -> Evaluator:
    return compile_rule(json.loads(rule), "when")


def checklist_applicable(checklist, facts: dict | None, on: date) -> list[dict]:
    """The items of ``checklist`` that the declared ``facts`` call for, in order."""
    items = list(checklist or ())
    if not any("when" in item for item in items):
        return items
    flat = flatten_facts(facts or {})
    ctx = EvaluationContext(flat, on, age_on(flat["birth_date"], on) if flat.get("birth_date") else 0)
    return [
        item for item in items
        if "when" not in item or bool(_compiled(json.dumps(item["when"], sort_keys=True))(ctx))
    ]
