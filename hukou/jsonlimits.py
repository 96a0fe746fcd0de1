"""JSON from strangers, parsed with a nesting limit.

Python's json module recurses once per level: ``{"a":`` 5,000 times raises RecursionError (an HTTP 500
or a crash) long before any schema sees it. Every JSON input of the product (API bodies, the
``eligibility`` command's stdin) goes through ``json_loads_bounded``, which measures the nesting with
one regular-expression pass (strings removed first, so brackets inside them do not count) and refuses
anything deeper than JSON_MAX_DEPTH with a clear message before parsing.
"""

from __future__ import annotations

import json
import re

from django.conf import settings

DEFAULT_MAX_DEPTH = 32  # the facts contract is 3 levels deep; anything near this limit is hostile
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonInputError(ValueError):
    """The text is not JSON the product accepts; ``message`` is shown to the sender (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_depth() -> int:
    return int(getattr(settings, "JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def json_depth(text: str, *, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in ``text`` (0 for a scalar); stops counting once
    ``stop_above`` is passed."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str):
    raise JsonInputError(f"{name} 不是 JSON 值")


def json_loads_bounded(text: str | bytes, *, limit: int | None = None):
    """``json.loads`` that refuses nesting deeper than ``limit`` (JSON_MAX_DEPTH), NaN and Infinity,
    and never lets a RecursionError out: JsonInputError with a message naming what is wrong."""
    if isinstance(text, bytes | bytearray):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonInputError(f"不是有效的 UTF-8 文本（{error.reason}）") from None
    limit = max_depth() if limit is None else limit
    if json_depth(text, stop_above=limit) > limit:
        raise JsonInputError(f"JSON 嵌套过深：最多 {limit} 层")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise JsonInputError(f"不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）") from None
    except RecursionError:  # a limit set above what the interpreter's stack allows
        raise JsonInputError(f"JSON 嵌套过深：最多 {limit} 层") from None
