"""python manage.py entitlements --jurisdiction sx.kq --date 2024-03-01 --route kq.graduate < facts.json

What settling by the route would bring (绍柯 二(二)4–5): every subsidy program in force there, with
whether the person would be entitled and each condition explained."""

from policies.eligibility.engine import entitlements_evaluate
from policies.management.facts_input import FactsCommand


class Command(FactsCommand):
    help = "The subsidy programs a settlement by --route would bring, for the facts on standard input (JSON)."
    required_options = ("date", "jurisdiction", "route")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--route", help="settlement route code, e.g. kq.graduate (required)")

    def evaluate(self, facts, *, jurisdiction, date, route, **options) -> dict:
        return entitlements_evaluate(facts=facts, jurisdiction=jurisdiction, on=date, route=route)
