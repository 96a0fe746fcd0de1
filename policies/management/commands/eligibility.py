"""python manage.py eligibility --jurisdiction sx.kq --date 2024-03-01 < facts.json"""

import json
import sys

from django.core.management.base import BaseCommand

from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError


class Command(BaseCommand):
    help = "Evaluate the facts on standard input against every route in force (JSON on stdout)."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", required=True, help="jurisdiction code, e.g. sx.kq")
        parser.add_argument("--date", required=True, help="evaluation date, YYYY-MM-DD")

    def handle(self, *args, jurisdiction, date, **options):
        raw = sys.stdin.read()
        try:
            facts = json.loads(raw)
        except json.JSONDecodeError as error:
            self._fail("facts", f"不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）")
        try:
            result = eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=date)
        except EligibilityInputError as error:
            self._fail(error.field, error.message)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _fail(self, field: str, message: str) -> None:
        self.stderr.write(f"error: {field}: {message}")
        sys.exit(2)
