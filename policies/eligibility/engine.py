"""The eligibility engine: facts + jurisdiction + date → every route in force there, explained.

    eligibility_evaluate(facts=…, jurisdiction="sx.kq", on=date(2024, 3, 1))
    {"jurisdiction": "sx.kq", "date": "2024-03-01",
     "routes": [{"code": "kq.graduate", "name": …, "citation": …, "eligible": True,
                 "followers": [...], "conditions": [{"label": "户口在绍兴市外", "ok": True}, …]}, …]}
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from policies.eligibility.catalogue import Catalogue, PointsResult, get_catalogue
from policies.eligibility.conditions import EvaluationContext, age_on
from policies.eligibility.errors import EligibilityInputError
from policies.eligibility.facts import flatten_facts, validate_facts

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_evaluation_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise EligibilityInputError("date", f"不是有效日期（应为 YYYY-MM-DD）：{value!r}")


def _check_jurisdiction(catalogue: Catalogue, jurisdiction: Any) -> str:
    if not isinstance(jurisdiction, str) or jurisdiction not in catalogue.ancestors:
        known = "、".join(sorted(catalogue.ancestors))
        raise EligibilityInputError("jurisdiction", f"未知的行政区划代码 {jurisdiction!r}（可选：{known}）")
    return jurisdiction


def _check_point_codes(catalogue: Catalogue, declared: dict | None) -> None:
    for code in sorted(declared or {}):
        if code not in catalogue.point_codes:
            known = "、".join(sorted(catalogue.point_codes)) or "（无）"
            raise EligibilityInputError(f"facts.points.{code}", f"未知的积分指标代码（可选：{known}）")


def _check_honour_codes(catalogue: Catalogue, declared: list | None) -> None:
    for index, code in enumerate(declared or ()):
        if code not in catalogue.honours:
            known = "、".join(catalogue.honours) or "（无）"
            raise EligibilityInputError(f"facts.honors.{index}", f"未知的荣誉代码 {code!r}（可选：{known}）")


def check_declared_codes(catalogue: Catalogue, facts: dict) -> None:
    """Codes the schema cannot know, because policy tables define them: points indicators, honours."""
    _check_point_codes(catalogue, facts.get("points"))
    _check_honour_codes(catalogue, facts.get("honors"))


def _points_label(label: str, result: PointsResult | None) -> str:
    if result is None:
        return f"{label}（该地未设居住证积分方案）"
    text = f"{label}（积分 {result.total.normalize():f}，分数线 {result.threshold.normalize():f}"
    if result.unconfigured:
        text += f"；指标计分表尚未配置，暂计 0 分：{'、'.join(result.unconfigured)}"
    return text + "）"


def eligibility_evaluate(*, facts: Any, jurisdiction: Any, on: Any) -> dict:
    """Evaluate every route in force at ``jurisdiction`` on ``on``; raise EligibilityInputError on bad input."""
    catalogue = get_catalogue()
    day = parse_evaluation_date(on)
    code = _check_jurisdiction(catalogue, jurisdiction)
    validate_facts(facts, on=day)
    check_declared_codes(catalogue, facts)
    declared_points = facts.get("points") or {}

    flat = flatten_facts(facts)
    age = age_on(flat["birth_date"], day)

    def points_source(ctx: EvaluationContext) -> PointsResult | None:
        return catalogue.points_for(code, day, age, declared_points)

    ctx = EvaluationContext(flat, day, age, points_source)
    routes = []
    for route in catalogue.routes_for(code, day):
        conditions = []
        eligible = True
        for label, evaluate, uses_points in route.conditions:
            ok = bool(evaluate(ctx))
            eligible = eligible and ok
            if uses_points:
                label = _points_label(label, ctx.points())
            conditions.append({"label": label, "ok": ok})
        routes.append(
            {
                "code": route.code,
                "name": route.name,
                "citation": route.citation,
                "eligible": eligible,
                "followers": list(route.followers),
                "conditions": conditions,
            }
        )
    return {"jurisdiction": code, "date": day.isoformat(), "routes": routes}
