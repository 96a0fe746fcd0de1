"""The eligibility engine: facts + jurisdiction + date → every route in force there, explained.

    eligibility_evaluate(facts=…, jurisdiction="sx.kq", on=date(2024, 3, 1))
    {"jurisdiction": "sx.kq", "date": "2024-03-01",
     "routes": [{"code": "kq.graduate", "name": …, "citation": …, "eligible": True,
                 "followers": [...], "conditions": [{"label": "户口在绍兴市外", "ok": True}, …],
                 "programs": [{"code": "kq.anxin", "entitled": True, "conditions": […], …}, …]}, …]}
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
        configured = "、".join(result.configured) or "（无）"
        text += (f"；积分指标计分表以公安机关公布为准，目前仅{configured}指标已配置，"
                 f"未配置的暂计 0 分：{'、'.join(result.unconfigured)}")
    return text + "）"


def _program_results(catalogue: Catalogue, jurisdiction: str, ctx: EvaluationContext, route: str,
                     shared: dict | None = None) -> list[dict]:
    """Every program in force at the place, evaluated for a settlement by ``route``: what the person
    would be entitled to on settling, each condition explained. ``shared`` keeps the results of
    programs that do not read the route, so that they are evaluated once per person."""
    ctx.facts["settlement.route"] = route
    results = []
    for program in catalogue.programs_for(jurisdiction, ctx.on):
        cached = None if program.reads_route or shared is None else shared.get(program.code)
        if cached is None:
            conditions = [{"label": label, "ok": bool(evaluate(ctx))} for label, evaluate, _ in program.conditions]
            cached = {
                "code": program.code,
                "name": program.name,
                "entitled": all(condition["ok"] for condition in conditions),
                "conditions": conditions,
                "amount_fen": program.amount_fen,
                "period": program.period,
                "max_periods": program.max_periods,
            }
            if shared is not None and not program.reads_route:
                shared[program.code] = cached
        results.append(cached)
    return results


def _context(catalogue: Catalogue, facts: dict, code: str, day: date) -> EvaluationContext:
    declared_points = facts.get("points") or {}
    flat = flatten_facts(facts)
    age = age_on(flat["birth_date"], day) if flat.get("birth_date") else 0

    def points_source(ctx: EvaluationContext) -> PointsResult | None:
        return catalogue.points_for(code, day, age, declared_points)

    return EvaluationContext(flat, day, age, points_source)


def _checked_input(facts: Any, jurisdiction: Any, on: Any) -> tuple[Catalogue, date, str]:
    catalogue = get_catalogue()
    day = parse_evaluation_date(on)
    code = _check_jurisdiction(catalogue, jurisdiction)
    validate_facts(facts, on=day)
    check_declared_codes(catalogue, facts)
    return catalogue, day, code


def entitlements_evaluate(*, facts: Any, jurisdiction: Any, on: Any, route: Any) -> dict:
    """What a settlement by ``route`` at ``jurisdiction`` on ``on`` would bring: every subsidy program in
    force there, entitled or not, each condition explained. Bad input raises EligibilityInputError."""
    catalogue, day, code = _checked_input(facts, jurisdiction, on)
    in_force = [r.code for r in catalogue.routes_for(code, day)]
    if route not in in_force:
        known = "、".join(in_force) or "（无）"
        raise EligibilityInputError("route", f"落户途径 {route!r} 在该地该日不适用（可选：{known}）")
    return {"programs": _program_results(catalogue, code, _context(catalogue, facts, code, day), route)}


def settler_programs(*, facts: dict, jurisdiction: str, on: date, route: str) -> list[dict]:
    """The programs of a settlement already made (facts frozen at submission, completed by the dated
    fact events): no validation, since frozen facts were valid under the policy of their day."""
    catalogue = get_catalogue()
    if jurisdiction not in catalogue.ancestors:
        return []
    return _program_results(catalogue, jurisdiction, _context(catalogue, facts, jurisdiction, on), route)


def eligibility_evaluate(*, facts: Any, jurisdiction: Any, on: Any) -> dict:
    """Evaluate every route in force at ``jurisdiction`` on ``on``; raise EligibilityInputError on bad input."""
    catalogue, day, code = _checked_input(facts, jurisdiction, on)
    ctx = _context(catalogue, facts, code, day)
    shared: dict = {}
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
                # what settling by this route would bring (绍柯 二(二)4–5); nothing for a route one cannot take
                "programs": _program_results(catalogue, code, ctx, route.code, shared) if eligible else [],
            }
        )
    return {"jurisdiction": code, "date": day.isoformat(), "routes": routes}
