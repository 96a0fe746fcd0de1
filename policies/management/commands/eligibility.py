"""python manage.py eligibility --jurisdiction sx.kq --date 2024-03-01 < facts.json"""

import json
import sys

from django.core.management.base import BaseCommand

from hukou.jsonlimits import JsonInputError, json_loads_bounded
from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError


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
        try:  # depth-limited, no NaN/Infinity: the API refuses the same inputs
            facts = json_loads_bounded(raw)
        except JsonInputError as error:
            self._fail("facts", error.message)
        try:
            result = eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=date)
        except EligibilityInputError as error:
            self._fail(error.field, error.message)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _fail(self, field: str, message: str) -> None:
        self.stderr.write(f"error: {field}: {message}")
        sys.exit(2)
