"""The facts an applicant declares (shared/contracts/facts.schema.json): validation and flattening.

The project keeps its own copy of the schema (policies/data/facts.schema.json) so that it does not
need ../shared at run time; a test checks the copy against the contract when the contract is there.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

from policies.eligibility.errors import EligibilityInputError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "facts.schema.json"

# Leaves of these JSON types default to these values when absent ("missing means no / zero / none").
_TYPE_DEFAULTS = {"boolean": False, "integer": 0, "number": 0, "array": ()}


@lru_cache(maxsize=1)
def facts_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = facts_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


# --- fast acceptance check -------------------------------------------------------------------
# jsonschema walks the schema afresh for every instance (about 0.25 ms per facts object, most of the
# cost of an evaluation). fastjsonschema compiles the schema once to Python code (a few µs per
# object). It only decides "valid"; whenever it refuses, jsonschema runs and names the field, and
# the property tests check that it never accepts what jsonschema refuses.
Check = Callable[[Any], bool]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _fast_check() -> Check | None:
    _validator()  # the schema itself is checked once, as before
    # jsonschema's "date": ASCII digits and a real calendar day (fastjsonschema's \d would
    # accept full-width digits)
    compiled = fastjsonschema.compile(facts_schema(), formats={"date": _is_iso_date})

    def check(facts: Any) -> bool:
        try:
            compiled(facts)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check


def _leaf_type(spec: dict) -> str | None:
    kind = spec.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and "enum" in spec:
        return "enum"
    return kind


@lru_cache(maxsize=1)
def fact_fields() -> dict[str, dict]:
    """Every addressable fact path (``employment.in_target``) with its schema and default value."""
    fields: dict[str, dict] = {}

    def walk(prefix: str, properties: dict) -> None:
        for name, spec in properties.items():
            path = f"{prefix}{name}"
            kind = _leaf_type(spec)
            if kind == "object" and "properties" in spec:
                walk(f"{path}.", spec["properties"])
                continue
            enum = spec.get("enum")
            if kind == "array" and isinstance(spec.get("items"), dict):
                enum = spec["items"].get("enum")  # honors: a literal must be one of the items' values
            fields[path] = {
                "type": kind,
                "format": spec.get("format"),
                "enum": enum,
                "default": _TYPE_DEFAULTS.get(kind),
            }

    walk("", facts_schema()["properties"])
    return fields


@lru_cache(maxsize=1)
def _date_fields() -> tuple[str, ...]:
    return tuple(path for path, spec in fact_fields().items() if spec["format"] == "date")


@lru_cache(maxsize=1)
def default_flat_facts() -> dict[str, Any]:
    return {path: spec["default"] for path, spec in fact_fields().items()}


def _error_field(error) -> str:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        path.append(missing)
    elif error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            path.append(extra[0])
    return ".".join(["facts", *(str(p) for p in path)])


def _error_message(error) -> str:
    if error.validator == "required":
        return "必填项缺失"
    if error.validator == "additionalProperties":
        return "不是可申报的事实字段"
    if error.validator == "format":
        return f"日期格式应为 YYYY-MM-DD，收到 {error.instance!r}"
    if error.validator == "enum":
        allowed = "、".join("null" if v is None else str(v) for v in error.validator_value)
        return f"取值应为以下之一：{allowed}；收到 {error.instance!r}"
    if error.validator == "type":
        return f"类型应为 {error.validator_value}，收到 {error.instance!r}"
    if error.validator == "minimum":
        return f"不能小于 {error.validator_value}，收到 {error.instance!r}"
    if error.validator == "uniqueItems":
        return "列表中不能有重复项"
    return error.message


def validate_facts(facts: Any, *, on: date) -> None:
    """Raise EligibilityInputError naming the first offending field, or return None."""
    if not isinstance(facts, dict):
        raise EligibilityInputError("facts", "应为 JSON 对象")
    fast_check = _fast_check()
    if fast_check is None or not fast_check(facts):
        validator = _validator()
        error = min(
            validator.iter_errors(facts), key=lambda e: (len(e.absolute_path), _error_field(e)), default=None
        )
        if error is not None:
            raise EligibilityInputError(_error_field(error), _error_message(error))
    for code, value in (facts.get("points") or {}).items():
        if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN/Infinity; 1e400 reads as inf
            raise EligibilityInputError(f"facts.points.{code}", f"应为有限数值，收到 {value!r}")
    for path in _date_fields():
        value = _lookup(facts, path)
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise EligibilityInputError(f"facts.{path}", f"不是有效日期：{value!r}") from None
    if date.fromisoformat(facts["birth_date"]) > on:
        raise EligibilityInputError("facts.birth_date", "出生日期不能晚于评估日期")


def _lookup(facts: dict, path: str) -> Any:
    node: Any = facts
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def flatten_facts(facts: dict) -> dict[str, Any]:
    """Validated facts as {dotted path: value}, every known path present, dates as ``date``."""
    flat = dict(default_flat_facts())
    for key, value in facts.items():
        if isinstance(value, dict) and key != "points":
            for sub, sub_value in value.items():
                if sub_value is not None:
                    flat[f"{key}.{sub}"] = sub_value
        elif value is not None:
            flat[key] = value
    for path in _date_fields():
        if isinstance(flat[path], str):
            flat[path] = date.fromisoformat(flat[path])
    if isinstance(flat.get("honors"), list):
        flat["honors"] = tuple(flat["honors"])
    return flat
