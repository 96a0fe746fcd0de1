"""The condition language of route criteria: JsonLogic, compiled to Python closures.

A criterion is ``{"label": "<Chinese text shown to people>", "rule": <JsonLogic expression>}``.
The subset of JsonLogic kept here is the one policy rules need (var, comparisons with the
three-argument "between" form, and/or/!/!!, in, if, + - * min max), plus a few date-aware
operations the notices call for:

    {"date": "2023-07-07"}          a date literal
    {"eval_date": []}               the evaluation date
    {"age": []}                     the applicant's age in full years (周岁) on the evaluation date
    {"add_years": [<date>, 15]}     a date N years later (29 Feb becomes 1 Mar in common years)
    {"points": []}                  residence-permit points under the scheme in force
    {"points_threshold": []}        that scheme's qualifying line

Rules are compiled once (admin saves are validated by compiling) and evaluated as closures, so an
evaluation touches no database and no interpreter dispatch. Variables are checked against the facts
schema at compile time, and so are enum literals, so a typo is refused when the rule is saved.
Comparisons with an absent value are false (an absent date or number satisfies no bound).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from policies.eligibility.errors import ConditionError
from policies.eligibility.facts import fact_fields

Evaluator = Callable[["EvaluationContext"], Any]


class EvaluationContext:
    """What a compiled rule reads: flattened facts, the date, the age and (lazily) the points."""

    __slots__ = ("facts", "on", "age", "_points", "_points_source")

    def __init__(self, facts: dict, on: date, age: int, points_source=None):
        self.facts = facts
        self.on = on
        self.age = age
        self._points = None
        self._points_source = points_source

    def points(self):
        """The PointsResult under the scheme in force (None: no scheme), computed once."""
        if self._points is None:
            self._points = (self._points_source(self) if self._points_source else None,)
        return self._points[0]


def add_years(start: date, years: int) -> date:
    """Same month and day ``years`` later; 29 February falls on 1 March in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def age_on(birth: date, on: date) -> int:
    """Full years (周岁) on ``on``: one reaches an age on the birthday (29 Feb → 1 Mar)."""
    years = on.year - birth.year
    if add_years(birth, years) > on:
        years -= 1
    return years


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)  # points are Decimal


def _comparable(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if _is_number(a) and _is_number(b):
        return True
    return type(a) is type(b)


def _lt(a, b):
    return _comparable(a, b) and a < b


def _le(a, b):
    return _comparable(a, b) and a <= b


def _num(value: Any):
    return 0 if value is None or isinstance(value, bool) else value


# What a subsidy program's conditions may read besides the facts: the route the person settles by.
SETTLEMENT_FIELDS = {"settlement.route": {"type": "string", "format": None, "enum": None, "default": None}}


class _Compiler:
    def __init__(self, program: bool = False):
        self.fields = {**fact_fields(), **SETTLEMENT_FIELDS} if program else fact_fields()
        self._honour_codes = None
        self._route_codes = None

    def compile(self, node: Any, path: str) -> Evaluator:
        if isinstance(node, dict):
            if len(node) != 1:
                raise ConditionError(path, "每个运算必须是只有一个键的对象，如 {\">=\": [...]}")
            (op, args), = node.items()
            handler = self.OPERATORS.get(op)
            if handler is None:
                raise ConditionError(path, f"未知运算符 {op!r}")
            return handler(self, args if isinstance(args, list) else [args], f"{path}.{op}" if path else op)
        if isinstance(node, list):
            items = [self.compile(item, f"{path}[{i}]") for i, item in enumerate(node)]
            return lambda ctx: [item(ctx) for item in items]
        if node is None or isinstance(node, bool | int | float | str):
            return lambda ctx: node
        raise ConditionError(path, f"不支持的值 {node!r}")

    def _arity(self, args: list, path: str, low: int, high: int | None = None) -> None:
        high = low if high is None else high
        if not low <= len(args) <= high:
            expected = str(low) if low == high else f"{low}–{high}"
            raise ConditionError(path, f"需要 {expected} 个参数，收到 {len(args)} 个")

    # --- variables and literals ---
    def op_var(self, args, path):
        self._arity(args, path, 1, 2)
        name = args[0]
        if not isinstance(name, str) or name not in self.fields:
            raise ConditionError(path, f"未知的事实字段 {name!r}")
        if len(args) == 2:
            default = args[1]
            return lambda ctx: default if ctx.facts[name] is None else ctx.facts[name]
        return lambda ctx: ctx.facts[name]

    def op_date(self, args, path):
        self._arity(args, path, 1)
        try:
            value = date.fromisoformat(args[0])
        except (TypeError, ValueError):
            raise ConditionError(path, f"日期应为 YYYY-MM-DD，收到 {args[0]!r}") from None
        return lambda ctx: value

    def op_eval_date(self, args, path):
        self._arity(args, path, 0)
        return lambda ctx: ctx.on

    def op_age(self, args, path):
        self._arity(args, path, 0)
        return lambda ctx: ctx.age

    def op_add_years(self, args, path):
        self._arity(args, path, 2)
        start, years = self.compile(args[0], f"{path}[0]"), self.compile(args[1], f"{path}[1]")

        def run(ctx):
            base, count = start(ctx), years(ctx)
            if not isinstance(base, date) or not _is_number(count):
                return None
            return add_years(base, int(count))

        return run

    def op_points(self, args, path):
        self._arity(args, path, 0)
        return lambda ctx: getattr(ctx.points(), "total", None)

    def op_points_threshold(self, args, path):
        self._arity(args, path, 0)
        return lambda ctx: getattr(ctx.points(), "threshold", None)

    # --- comparisons ---
    def _enum(self, name: str):
        """The values a fact can take: the schema's enum, or for ``honors`` the honours policy table
        (``settlement.route``: the routes table)."""
        if name == "settlement.route":
            if self._route_codes is None:
                from policies.models import SettlementRoute

                self._route_codes = tuple(SettlementRoute.objects.values_list("code", flat=True))
            return self._route_codes
        if name == "honors":
            if self._honour_codes is None:
                from policies.models import Honour

                self._honour_codes = tuple(Honour.objects.values_list("code", flat=True))
            return self._honour_codes
        return self.fields.get(name, {}).get("enum")

    def _check_enum_literals(self, args: list, path: str) -> None:
        """``{"==": [{"var": "education"}, "bachlor"]}`` is refused: not a value of the enum."""
        var = next((a["var"] for a in args if isinstance(a, dict) and "var" in a), None)
        name = var[0] if isinstance(var, list) and var else var
        enum = self._enum(name) if isinstance(name, str) else None
        if not enum:
            return
        for arg in args:
            literals = arg if isinstance(arg, list) else [arg]
            for literal in literals:
                if isinstance(literal, str) and literal not in enum:
                    allowed = "、".join(str(v) for v in enum if v is not None)
                    raise ConditionError(path, f"{literal!r} 不是 {name} 的取值（{allowed}）")

    def op_eq(self, args, path):
        self._arity(args, path, 2)
        self._check_enum_literals(args, path)
        a, b = (self.compile(x, f"{path}[{i}]") for i, x in enumerate(args))
        return lambda ctx: a(ctx) == b(ctx)

    def op_ne(self, args, path):
        equal = self.op_eq(args, path)
        return lambda ctx: not equal(ctx)

    def _compare(self, args, path, between: bool, strict: bool, reverse: bool = False):
        self._arity(args, path, 2, 3 if between else 2)
        parts = [self.compile(x, f"{path}[{i}]") for i, x in enumerate(args)]  # paths as written
        if reverse:  # a > b is b < a
            parts.reverse()
        test = _lt if strict else _le
        if len(parts) == 3:
            a, b, c = parts
            return lambda ctx: test(a(ctx), b(ctx)) and test(b(ctx), c(ctx))
        a, b = parts
        return lambda ctx: test(a(ctx), b(ctx))

    def op_lt(self, args, path):
        return self._compare(args, path, between=True, strict=True)

    def op_le(self, args, path):
        return self._compare(args, path, between=True, strict=False)

    def op_gt(self, args, path):
        return self._compare(args, path, between=False, strict=True, reverse=True)

    def op_ge(self, args, path):
        return self._compare(args, path, between=False, strict=False, reverse=True)

    # --- logic ---
    def op_and(self, args, path):
        self._arity(args, path, 1, 99)
        parts = tuple(self.compile(x, f"{path}[{i}]") for i, x in enumerate(args))
        return lambda ctx: all(part(ctx) for part in parts)

    def op_or(self, args, path):
        self._arity(args, path, 1, 99)
        parts = tuple(self.compile(x, f"{path}[{i}]") for i, x in enumerate(args))
        return lambda ctx: any(part(ctx) for part in parts)

    def op_not(self, args, path):
        self._arity(args, path, 1)
        inner = self.compile(args[0], f"{path}[0]")
        return lambda ctx: not inner(ctx)

    def op_truthy(self, args, path):
        self._arity(args, path, 1)
        inner = self.compile(args[0], f"{path}[0]")
        return lambda ctx: bool(inner(ctx))

    def op_in(self, args, path):
        self._arity(args, path, 2)
        self._check_enum_literals(args, path)
        needle, haystack = self.compile(args[0], f"{path}[0]"), self.compile(args[1], f"{path}[1]")

        def run(ctx):
            container = haystack(ctx)
            item = needle(ctx)
            if isinstance(container, str):
                return isinstance(item, str) and item in container
            return container is not None and item in container

        return run

    def op_if(self, args, path):
        if len(args) < 3 or len(args) % 2 == 0:
            raise ConditionError(path, "if 需要 条件, 值, …, 否则值（奇数个参数，至少 3 个）")
        parts = [self.compile(x, f"{path}[{i}]") for i, x in enumerate(args)]
        pairs = tuple(zip(parts[:-1:2], parts[1:-1:2], strict=True))
        otherwise = parts[-1]

        def run(ctx):
            for test, value in pairs:
                if test(ctx):
                    return value(ctx)
            return otherwise(ctx)

        return run

    # --- arithmetic ---
    def _numbers(self, args, path, low):
        self._arity(args, path, low, 99)
        return tuple(self.compile(x, f"{path}[{i}]") for i, x in enumerate(args))

    def op_add(self, args, path):
        parts = self._numbers(args, path, 1)
        return lambda ctx: sum(_num(part(ctx)) for part in parts)

    def op_sub(self, args, path):
        self._arity(args, path, 1, 2)
        parts = self._numbers(args, path, 1)
        if len(parts) == 1:
            return lambda ctx: -_num(parts[0](ctx))
        a, b = parts
        return lambda ctx: _num(a(ctx)) - _num(b(ctx))

    def op_mul(self, args, path):
        parts = self._numbers(args, path, 2)

        def run(ctx):
            result = 1
            for part in parts:
                result *= _num(part(ctx))
            return result

        return run

    def op_max(self, args, path):
        parts = self._numbers(args, path, 1)
        return lambda ctx: max(_num(part(ctx)) for part in parts)

    def op_min(self, args, path):
        parts = self._numbers(args, path, 1)
        return lambda ctx: min(_num(part(ctx)) for part in parts)

    OPERATORS = {
        "var": op_var,
        "date": op_date,
        "eval_date": op_eval_date,
        "age": op_age,
        "add_years": op_add_years,
        "points": op_points,
        "points_threshold": op_points_threshold,
        "==": op_eq,
        "===": op_eq,
        "!=": op_ne,
        "!==": op_ne,
        "<": op_lt,
        "<=": op_le,
        ">": op_gt,
        ">=": op_ge,
        "and": op_and,
        "or": op_or,
        "!": op_not,
        "!!": op_truthy,
        "in": op_in,
        "if": op_if,
        "+": op_add,
        "-": op_sub,
        "*": op_mul,
        "max": op_max,
        "min": op_min,
    }


def compile_rule(rule: Any, path: str = "rule", *, program: bool = False) -> Evaluator:
    if not isinstance(rule, dict):
        raise ConditionError(path, "规则必须是 JsonLogic 运算对象")
    return _Compiler(program).compile(rule, path)


def rule_variables(node: Any) -> set[str]:
    """Every fact path a JsonLogic rule reads (``{"var": "employment.in_target"}``)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for op, args in node.items():
            if op == "var":
                name = args[0] if isinstance(args, list) and args else args
                if isinstance(name, str):
                    found.add(name)
            else:
                found |= rule_variables(args)
    elif isinstance(node, list):
        for item in node:
            found |= rule_variables(item)
    return found


def uses_points(rule: Any) -> bool:
    if isinstance(rule, dict):
        return any(op in {"points", "points_threshold"} or uses_points(args) for op, args in rule.items())
    if isinstance(rule, list):
        return any(uses_points(item) for item in rule)
    return False


def compile_criteria(criteria: Any, *, program: bool = False) -> list[tuple[str, Evaluator, bool]]:
    """Validate and compile a route's criteria (or, ``program``, a subsidy program's conditions):
    [(label, evaluator, uses points)]."""
    if not isinstance(criteria, list) or not criteria:
        raise ConditionError("", "条件应为非空列表，每项形如 {\"label\": \"…\", \"rule\": {…}}")
    compiled = []
    for index, item in enumerate(criteria, start=1):
        where = f"第 {index} 条"
        if not isinstance(item, dict) or set(item) != {"label", "rule"}:
            raise ConditionError(where, "应只有 label 与 rule 两个键")
        label = item["label"]
        if not isinstance(label, str) or not label.strip():
            raise ConditionError(f"{where}.label", "说明文字不能为空")
        rule = compile_rule(item["rule"], f"{where}.rule", program=program)
        compiled.append((label, rule, uses_points(item["rule"])))
    return compiled
