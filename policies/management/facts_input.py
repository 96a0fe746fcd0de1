"""What the engine's commands share: facts as JSON on standard input, bad input reported as
``error: <field>: <message>`` on stderr with exit status 2."""

import json
import sys

from django.core.management.base import BaseCommand

from hukou.jsonlimits import JsonInputError, json_loads_bounded
from policies.eligibility.errors import EligibilityInputError


class FactsCommand(BaseCommand):
    """Base of ``eligibility`` and ``entitlements``: required options checked in handle(), not by
    argparse, so that a missing one is reported like any bad input."""

    required_options: tuple[str, ...] = ("date", "jurisdiction")  # in the engine's order

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="jurisdiction code, e.g. sx.kq (required)")
        parser.add_argument("--date", help="evaluation date, YYYY-MM-DD (required)")

    def evaluate(self, facts, **options) -> dict:
        raise NotImplementedError

    def handle(self, *args, **options):
        for field in self.required_options:
            if options.get(field) is None:
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
            result = self.evaluate(facts, **options)
        except EligibilityInputError as error:
            self._fail(error.field, error.message)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _fail(self, field: str, message: str) -> None:
        self.stderr.write(f"error: {field}: {message}")
        sys.exit(2)
