"""Eligibility engine throughput: ``python bench/eligibility.py``.

Sets Django up itself (DJANGO_SETTINGS_MODULE defaults to hukou.settings) against whatever
DATABASE_URL says; that database must be migrated (the policy catalogue is seeded by the migrations).
It generates a few thousand varied, schema-valid facts with a seeded random generator, warms the
engine, then times ``eligibility_evaluate`` (every route in force at a jurisdiction, per call) for
each jurisdiction in one process. Inside the timed loops no database query may run: the compiled
catalogue is in memory once warm (checked with CaptureQueriesContext).

The last line printed is ``evaluations/s = N``, N the overall rate (an integer).
Environment: BENCH_FACTS (default 3000), BENCH_ROUNDS (default 2), BENCH_SEED (default 20240301).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou.settings")

import django  # noqa: E402

django.setup()

from policies.models import Honour  # noqa: E402

HONOUR_CODES = list(Honour.objects.filter(active=True).values_list("code", flat=True))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from policies.eligibility.catalogue import get_catalogue  # noqa: E402
from policies.eligibility.engine import eligibility_evaluate  # noqa: E402
from policies.eligibility.facts import facts_schema  # noqa: E402

JURISDICTIONS = ("sx.kq", "hz.city", "jx", "hz.tonglu")
POINT_CODES = ("income_tax", "residence_years", "social_insurance_years")
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2030, 12, 31)
EARLIEST_BIRTH = date(1950, 1, 1)
# Plausible upper bounds for the integer facts (months); the schema only says "minimum 0".
INT_BOUNDS = {"contract_months": 72, "continuous_months": 120, "registration_months": 120}


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


class FactsGenerator:
    """Random schema-valid facts, driven by the schema itself (every optional field sometimes present)."""

    def __init__(self, rng: random.Random, schema: dict):
        self.rng = rng
        self.schema = schema

    def facts(self, on: date) -> dict:
        rng = self.rng
        result = {}
        for name, spec in self.schema["properties"].items():
            if name == "birth_date":
                # Born before the evaluation date (an applicant of 0 to 75 years), 29 Feb included sometimes.
                birth = random_date(rng, max(EARLIEST_BIRTH, on - timedelta(days=75 * 365)), on)
                if rng.random() < 0.02 and birth.year % 4 == 0 and date(birth.year, 2, 29) <= on:
                    birth = date(birth.year, 2, 29)
                result[name] = birth.isoformat()
            elif name == "sex":
                result[name] = rng.choice(spec["enum"])
            elif name == "points":
                if rng.random() < 0.5:
                    result[name] = {
                        code: rng.choice([rng.randint(0, 200_000), round(rng.uniform(0, 30), 1)])
                        for code in POINT_CODES if rng.random() < 0.7
                    }
            elif rng.random() < 0.7:
                result[name] = self.value(name, spec, on)
        return result

    def value(self, name: str, spec: dict, on: date):
        rng = self.rng
        kinds = spec.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "null" in kinds and rng.random() < 0.1:
            return None
        if "enum" in spec:
            return rng.choice(spec["enum"])
        if "object" in kinds:
            return {
                key: self.value(key, sub, on) for key, sub in spec["properties"].items() if rng.random() < 0.7
            }
        if "array" in kinds:  # honors: codes of the honours policy table (the schema cannot list them)
            items = spec["items"].get("enum") or HONOUR_CODES
            return rng.sample(items, rng.randint(0, len(items)))
        if "boolean" in kinds:
            return rng.random() < 0.5
        if "integer" in kinds:
            return rng.randint(0, INT_BOUNDS.get(name, 36))
        if "number" in kinds:
            return rng.uniform(0, 1000)
        if spec.get("format") == "date":
            return random_date(rng, date(1990, 1, 1), LAST_DAY).isoformat()
        raise ValueError(f"no generator for {name}: {spec}")


def main() -> int:
    count = int(os.environ.get("BENCH_FACTS", "3000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "2"))
    rng = random.Random(int(os.environ.get("BENCH_SEED", "20240301")))
    generator = FactsGenerator(rng, facts_schema())
    cases = []
    for _ in range(count):
        on = random_date(rng, FIRST_DAY, LAST_DAY)
        cases.append((generator.facts(on), on.isoformat()))

    catalogue = get_catalogue()
    missing = [code for code in JURISDICTIONS if code not in catalogue.ancestors]
    if missing:
        print(f"the catalogue has no {', '.join(missing)}: is the database migrated (seeded)?", file=sys.stderr)
        return 1

    # Warm up: load and compile the catalogue, compile the facts validator, memoise the routes in force
    # per (jurisdiction, day) and the flattened defaults; none of that is what is being timed.
    for jurisdiction in JURISDICTIONS:
        for facts, on in cases:
            eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=on)

    rows = []
    total_evaluations = 0
    total_seconds = 0.0
    total_queries = 0
    for jurisdiction in JURISDICTIONS:
        route_counts = []
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            for _ in range(rounds):
                for facts, on in cases:
                    result = eligibility_evaluate(facts=facts, jurisdiction=jurisdiction, on=on)
                    route_counts.append(len(result["routes"]))
            seconds = time.perf_counter() - started
        evaluations = len(route_counts)
        total_evaluations += evaluations
        total_seconds += seconds
        total_queries += len(queries)
        rows.append((jurisdiction, max(route_counts), sum(route_counts) / evaluations, evaluations, seconds,
                     int(evaluations / seconds), len(queries)))

    # routes: the most in force on any date drawn (none before a notice is in force); avg: per evaluation
    print(f"{'jurisdiction':<14}{'routes':>7}{'avg':>6}{'evaluations':>13}{'seconds':>9}{'evaluations/s':>15}"
          f"{'queries':>9}")
    for jurisdiction, routes, average, evaluations, seconds, rate, query_count in rows:
        print(f"{jurisdiction:<14}{routes:>7}{average:>6.1f}{evaluations:>13}{seconds:>9.3f}{rate:>15}{query_count:>9}")
    overall = int(total_evaluations / total_seconds)
    print(f"{'all':<14}{'':>7}{'':>6}{total_evaluations:>13}{total_seconds:>9.3f}{overall:>15}{total_queries:>9}")
    assert total_queries == 0, f"{total_queries} database queries ran during warm evaluations"
    print(f"evaluations/s = {overall}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
