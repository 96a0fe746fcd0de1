"""Shared helpers for eligibility tests: build facts and read one route out of a result."""

from datetime import date

from policies.eligibility.engine import eligibility_evaluate


def evaluate(facts: dict, jurisdiction: str, on: str | date) -> dict:
    return eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=on)


def route_result(result: dict, code: str) -> dict:
    matches = [route for route in result["routes"] if route["code"] == code]
    assert matches, f"{code} not among {[r['code'] for r in result['routes']]}"
    return matches[0]


def eligible(facts: dict, code: str, jurisdiction: str, on: str | date) -> bool:
    return route_result(evaluate(facts, jurisdiction, on), code)["eligible"]


def failing_labels(facts: dict, code: str, jurisdiction: str, on: str | date) -> list[str]:
    return [c["label"] for c in route_result(evaluate(facts, jurisdiction, on), code)["conditions"] if not c["ok"]]


def birth_date_for_age(age: int, on: str, *, days_before_birthday: int = 0) -> str:
    """A birth date making the person exactly ``age`` on ``on`` (their birthday is ``on``),
    or, with days_before_birthday=1, one day short of it (so ``age - 1``)."""
    day = date.fromisoformat(on)
    birth = day.replace(year=day.year - age)
    if days_before_birthday:
        from datetime import timedelta

        birth = birth + timedelta(days=days_before_birthday)
    return birth.isoformat()
