"""The compiled policy catalogue: every route, jurisdiction and points scheme, held in memory.

Loading runs a handful of queries and compiles every criterion; evaluations then touch no database.
A process drops its catalogue when a policy row changes in it (policies.signals) and, at most every
POLICY_RELOAD_CHECK_SECONDS, compares a shared version in the cache to see edits made elsewhere.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache

from policies.eligibility.conditions import Evaluator, compile_criteria, rule_variables

logger = logging.getLogger(__name__)
VERSION_KEY = "policies:catalogue-version"


@dataclass(frozen=True)
class CompiledRoute:
    code: str
    name: str
    citation: str
    in_force_from: date
    in_force_until: date | None
    scope: frozenset[str]
    excluded: frozenset[str]
    followers: tuple[str, ...]
    conditions: tuple[tuple[str, Evaluator, bool], ...]
    promised_working_days: int
    material_checklist: tuple[dict, ...]
    address_options: tuple[str, ...]

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


@dataclass(frozen=True)
class CompiledProgram:
    """A subsidy program (绍柯 二(二)4–5): who is entitled is decided by its conditions."""

    code: str
    name: str
    citation: str
    jurisdiction: str
    in_force_from: date
    in_force_until: date | None
    amount_fen: int
    period: str
    max_periods: int
    beneficiary: str
    conditions: tuple[tuple[str, Evaluator, bool], ...]
    reads: frozenset[str]  # the facts its conditions read (the self-check asks them)

    @property
    def reads_route(self) -> bool:
        """A condition reads settlement.route: evaluated per route, else once per person."""
        return "settlement.route" in self.reads

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


@dataclass(frozen=True)
class CompiledBand:
    lower: Decimal
    upper: Decimal | None
    points: Decimal
    per_unit: Decimal


@dataclass(frozen=True)
class CompiledIndicator:
    code: str
    name: str
    source: str
    max_points: Decimal | None
    bands: tuple[CompiledBand, ...]

    def score(self, value: Decimal) -> Decimal:
        for band in self.bands:
            if band.lower <= value and (band.upper is None or value < band.upper):
                points = max(band.points + band.per_unit * (value - band.lower), Decimal(0))
                return points if self.max_points is None else min(points, self.max_points)
        return Decimal(0)


@dataclass(frozen=True)
class CompiledScheme:
    name: str
    valid_from: date
    valid_until: date | None
    threshold: Decimal
    indicators: tuple[CompiledIndicator, ...]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class PointsResult:
    total: Decimal
    threshold: Decimal
    scheme: str
    unconfigured: tuple[str, ...]
    configured: tuple[str, ...] = ()


@dataclass
class Catalogue:
    version: str | None
    ancestors: dict[str, tuple[str, ...]]  # code -> (itself, parent, …, root)
    names: dict[str, str]
    routes: tuple[CompiledRoute, ...]
    schemes: dict[str, tuple[CompiledScheme, ...]]  # jurisdiction code -> newest first
    point_codes: frozenset[str]
    honours: dict[str, str]  # code -> name, in the policy table's order (Honour)
    programs: tuple[CompiledProgram, ...] = ()
    _memo: dict = field(default_factory=dict)

    def programs_for(self, jurisdiction: str, day: date) -> tuple[CompiledProgram, ...]:
        """Subsidy programs of the jurisdiction or an ancestor, in force on the day."""
        lineage = set(self.ancestors[jurisdiction])
        return tuple(p for p in self.programs if p.jurisdiction in lineage and p.in_force_on(day))

    def routes_for(self, jurisdiction: str, day: date) -> tuple[CompiledRoute, ...]:
        """Routes defined on the jurisdiction or an ancestor, not excluded there, in force on the day."""
        key = ("routes", jurisdiction, day)
        found = self._memo.get(key)
        if found is None:
            lineage = set(self.ancestors[jurisdiction])
            found = tuple(
                route for route in self.routes
                if route.scope & lineage and not route.excluded & lineage and route.in_force_on(day)
            )
            if len(self._memo) > 10_000:
                self._memo.clear()
            self._memo[key] = found
        return found

    def scheme_for(self, jurisdiction: str, day: date) -> CompiledScheme | None:
        for code in self.ancestors[jurisdiction]:
            for scheme in self.schemes.get(code, ()):
                if scheme.valid_on(day):
                    return scheme
        return None

    def points_for(self, jurisdiction: str, day: date, age: int, declared: dict[str, Any]) -> PointsResult | None:
        scheme = self.scheme_for(jurisdiction, day)
        if scheme is None:
            return None
        total = Decimal(0)
        unconfigured, configured = [], []
        for indicator in scheme.indicators:
            if not indicator.bands:
                unconfigured.append(indicator.name)
                continue
            configured.append(indicator.name)
            raw = age if indicator.source == "age" else declared.get(indicator.code, 0)
            total += indicator.score(Decimal(str(raw)))
        return PointsResult(total, scheme.threshold, scheme.name, tuple(unconfigured), tuple(configured))


def load_catalogue(version: str | None = None) -> Catalogue:
    from policies.models import Honour, Jurisdiction, PointsScheme, SettlementRoute, SubsidyProgram

    parents = dict(Jurisdiction.objects.values_list("code", "parent__code"))
    names = dict(Jurisdiction.objects.values_list("code", "name"))
    ancestors = {}
    for code in parents:
        chain, node = [], code
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        ancestors[code] = tuple(chain)

    routes = []
    queryset = (
        SettlementRoute.objects.filter(active=True)
        .select_related("document")
        .prefetch_related("jurisdictions", "excluded_jurisdictions")
    )
    for route in queryset:
        routes.append(
            CompiledRoute(
                code=route.code,
                name=route.name,
                citation=route.citation,
                in_force_from=route.document.in_force_from,
                in_force_until=route.document.in_force_until,
                scope=frozenset(j.code for j in route.jurisdictions.all()),
                excluded=frozenset(j.code for j in route.excluded_jurisdictions.all()),
                followers=tuple(route.followers),
                conditions=tuple(compile_criteria(route.criteria)),
                promised_working_days=route.promised_working_days,
                material_checklist=tuple(route.material_checklist),
                address_options=tuple(route.address_options),
            )
        )

    schemes: dict[str, list[CompiledScheme]] = {}
    point_codes = set()
    for scheme in PointsScheme.objects.select_related("jurisdiction").prefetch_related("indicators__bands"):
        indicators = []
        for indicator in scheme.indicators.all():
            if indicator.source == "fact":
                point_codes.add(indicator.code)
            bands = tuple(
                CompiledBand(b.lower, b.upper, b.points, b.points_per_unit)
                for b in sorted(indicator.bands.all(), key=lambda b: b.lower)
            )
            indicators.append(
                CompiledIndicator(indicator.code, indicator.name, indicator.source, indicator.max_points, bands)
            )
        schemes.setdefault(scheme.jurisdiction.code, []).append(
            CompiledScheme(scheme.name, scheme.valid_from, scheme.valid_until, scheme.threshold, tuple(indicators))
        )
    ordered = {code: tuple(sorted(items, key=lambda s: s.valid_from, reverse=True)) for code, items in schemes.items()}
    honours = dict(Honour.objects.filter(active=True).values_list("code", "name"))
    programs = tuple(
        CompiledProgram(
            code=program.code, name=program.name, citation=program.citation,
            jurisdiction=program.jurisdiction.code, in_force_from=program.document.in_force_from,
            in_force_until=program.document.in_force_until, amount_fen=program.amount_fen,
            period=program.period, max_periods=program.max_periods, beneficiary=program.beneficiary,
            conditions=tuple(compile_criteria(program.conditions, program=True)),
            reads=frozenset(var for condition in program.conditions for var in rule_variables(condition["rule"])),
        )
        for program in SubsidyProgram.objects.filter(active=True).select_related("document", "jurisdiction")
    )
    return Catalogue(
        version, ancestors, names, tuple(routes), ordered, frozenset(point_codes), honours, programs
    )


class _CatalogueHolder:
    def __init__(self):
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._checked_at = 0.0

    def _shared_version(self) -> str | None:
        try:
            return cache.get(VERSION_KEY)
        except Exception:  # a cache outage must not stop evaluations; keep what we have
            logger.warning("policy catalogue: cannot read the shared version", exc_info=True)
            return self._catalogue.version if self._catalogue else None

    def get(self) -> Catalogue:
        catalogue = self._catalogue
        now = time.monotonic()
        if catalogue is not None and now - self._checked_at < settings.POLICY_RELOAD_CHECK_SECONDS:
            return catalogue
        with self._lock:
            version = self._shared_version()
            if self._catalogue is None or self._catalogue.version != version:
                self._catalogue = load_catalogue(version)
            self._checked_at = now
            return self._catalogue

    def invalidate(self) -> None:
        self._catalogue = None


_holder = _CatalogueHolder()


def get_catalogue() -> Catalogue:
    return _holder.get()


def catalogue_invalidate_local() -> None:
    _holder.invalidate()


def catalogue_bump_shared_version() -> None:
    """Tell every process that the policy tables changed (called on commit of an edit)."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("policy catalogue: cannot publish the new version", exc_info=True)
