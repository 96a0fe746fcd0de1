"""A chart is a table: its first column names the category, the others hold the values (each value
column may be drawn as a bar or a line). The page draws it with ECharts and shows it as a table; the
export writes the same table, with small counts suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SMALL_COUNT = 5  # counts 1–4 (and the figures computed from them) are suppressed in exports
SUPPRESSED = "<5"

LABEL, COUNT, RATE, DAYS, YUAN, NUMBER, TEXT = "label", "count", "rate", "days", "yuan", "number", "text"


@dataclass
class Column:
    key: str
    label: str
    kind: str = COUNT
    # the count column that tells how many cases a rate, an average or an amount stands on
    base: str | None = None
    draw: str | None = None  # "bar", "line" or None (table only)
    stack: bool = False
    axis: int = 0  # 0: left axis, 1: right axis (rates)

    def as_json(self) -> dict:
        return {"key": self.key, "label": str(self.label), "kind": self.kind, "draw": self.draw,
                "stack": self.stack, "axis": self.axis}


@dataclass
class Chart:
    id: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    horizontal: bool = False
    note: str = ""

    def cells(self) -> list[list[tuple[str, bool]]]:
        """The table as the page shows it: (text, stands on fewer than five cases) per cell."""
        return [
            [(_text(value, self.columns[index].kind), is_small(self, row, index)) for index, value in enumerate(row)]
            for row in self.rows
        ]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": str(self.title),
            "columns": [c.as_json() for c in self.columns],
            "rows": [[_plain(value) for value in row] for row in self.rows],
            "small": [[is_small(self, row, index) for index in range(len(row))] for row in self.rows],
            "horizontal": self.horizontal,
            "note": str(self.note),
        }


def _text(value, kind: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) and kind == COUNT:
        return f"{value:,}"
    if isinstance(value, Decimal) and kind == YUAN:
        return f"{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,}"
    return str(value)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)  # for drawing only; the export writes the Decimal
    return value if value is None or isinstance(value, int | float | str) else str(value)


def _small(value) -> bool:
    return isinstance(value, int | Decimal) and 0 < value < SMALL_COUNT


def is_small(chart: Chart, row: list, index: int) -> bool:
    """Whether this cell stands on fewer than five cases (a count of 1–4, or a figure computed from one)."""
    column = chart.columns[index]
    if column.kind == COUNT:
        return _small(row[index])
    if column.base:
        base = next(i for i, c in enumerate(chart.columns) if c.key == column.base)
        return _small(row[base])
    return False


def suppressed_rows(chart: Chart) -> list[list]:
    """The rows as an export shows them: cells on fewer than five cases read "<5"."""
    return [
        [SUPPRESSED if is_small(chart, row, index) else value for index, value in enumerate(row)]
        for row in chart.rows
    ]


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"))


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))
