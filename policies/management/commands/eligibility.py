"""python manage.py eligibility --jurisdiction sx.kq --date 2024-03-01 < facts.json"""

from policies.eligibility.engine import eligibility_evaluate
from policies.management.facts_input import FactsCommand


class Command(FactsCommand):
    help = "Evaluate the facts on standard input against every route in force (JSON on stdout)."

    def evaluate(self, facts, *, jurisdiction, date, **options) -> dict:
        return eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=date)
