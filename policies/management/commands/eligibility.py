"""python manage.py eligibility --jurisdiction sx.kq --date 2024-03-01 < facts.json"""

import json
import sys

from django.core.management.base import BaseCommand

from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError


def _refuse_constant(name: str):
    """JSON has no NaN or Infinity (the API refuses them too)."""
    raise ValueError(f"{name} 不是 JSON 值")


class Command(BaseCommand):
    help = "Evaluate the facts on standard input against every route in force (JSON on stdout)."

    def add_arguments(self, parser):
        # Checked in handle(), not by argparse, so that a missing one is reported like any bad input:
        # "error: <field>: message", exit status 2.
        parser.add_argument("--jurisdiction", help="jurisdiction code, e.g. sx.kq (required)")
        parser.add_argument("--date", help="evaluation date, YYYY-MM-DD (required)")

    def handle(self, *args, jurisdiction, date, **options):
        for field, value in (("date", date), ("jurisdiction", jurisdiction)):  # the engine's order
            if value is None:
                self._fail(field, f"必填项缺失（--{field}）")
        try:
            raw = sys.stdin.read()
        except UnicodeDecodeError as error:
            self._fail("facts", f"不是有效的 UTF-8 文本（{error.reason}）")
        try:
            facts = json.loads(raw, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            self._fail("facts", f"不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）")
        except (ValueError, RecursionError) as error:
            self._fail("facts", f"不是有效的 JSON（{error}）")
        try:
            result = eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=date)
        except EligibilityInputError as error:
            self._fail(error.field, error.message)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _fail(self, field: str, message: str) -> None:
        self.stderr.write(f"error: {field}: {message}")
        sys.exit(2)
