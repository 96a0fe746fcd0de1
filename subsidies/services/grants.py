"""Who is entitled to what: a program pays a *person* who meets its conditions, whatever route they
settled by (绍柯 二(二)4–5). The conditions are read over the facts frozen at submission, completed by
the dated facts a clerk records later (a settled student graduates and takes a first job), so that an
entitlement can also begin after the settlement. Terms are frozen on the entitlement when it is made;
an entitlement is never withdrawn (stop facts end it)."""

from __future__ import annotations

import copy
from datetime import date

from django.db.models import Count

from applications.models import Registration
from policies.eligibility.engine import settler_programs
from policies.models import SubsidyProgram
from subsidies.models import Commitment, Entitlement, FactEvent
from subsidies.rules import EMPLOYED, GRADUATED, employer_guided
from subsidies.services.audit import audit_write

COLLEGE_LEVELS = ("junior_college", "bachelor", "master", "doctor")


def _first(events: list[FactEvent], kind: str) -> FactEvent | None:
    """The earliest fact of this kind recorded by a clerk (those taken from the declaration at the
    registration only repeat the frozen facts)."""
    found = [e for e in events if e.kind == kind and e.source != FactEvent.Source.REGISTRATION]
    return min(found, key=lambda e: (e.occurred_on, e.pk or 0)) if found else None


def settler_facts(frozen: dict | None, events: list[FactEvent]) -> dict:
    """The facts (facts contract) of a settled person: as frozen, with a recorded graduation (date, no
    longer enrolled, a college qualification for a college student) and, for someone not employed at
    the settlement, the first recorded employment — the first after graduation when it began on or
    after the graduation day."""
    facts = copy.deepcopy(frozen or {})
    graduated = _first(events, GRADUATED)
    if graduated is not None:
        student = facts.get("student") or {}
        if student.get("enrolled") and facts.get("education") not in COLLEGE_LEVELS:
            facts["education"] = "junior_college"  # a college student who graduates holds 大专 or higher
        facts["graduation_date"] = graduated.occurred_on.isoformat()
        facts["student"] = {**student, "enrolled": False}
    employed = _first(events, EMPLOYED)
    if employed is not None and not (facts.get("employment") or {}).get("employed"):
        graduation = facts.get("graduation_date")
        facts["employment"] = {
            **(facts.get("employment") or {}),
            "employed": True,
            "in_target": employed.in_district,
            "started_on": employed.occurred_on.isoformat(),
            "first_after_graduation": bool(graduation) and employed.occurred_on >= date.fromisoformat(graduation),
        }
    return facts


def programs_due(registration: Registration, facts: dict) -> list[tuple[SubsidyProgram, list[dict]]]:
    """The active programs whose conditions the facts meet for this settlement, with the conditions
    as met (the entitlement's frozen basis), in code order."""
    application = registration.application
    results = settler_programs(facts=facts, jurisdiction=application.jurisdiction.code,
                               on=registration.registered_on, route=application.route.code)
    entitled = {r["code"]: r["conditions"] for r in results if r["entitled"]}
    programs = SubsidyProgram.objects.filter(code__in=list(entitled), active=True).order_by("code")
    return [(program, entitled[program.code]) for program in programs]


def entitlement_create(*, program: SubsidyProgram, registration: Registration, basis: list[dict],
                       commitment: Commitment | None, cause: str) -> Entitlement:
    """One entitlement with the program's terms frozen, and its audit row."""
    entitlement = Entitlement.objects.create(
        program=program, applicant_id=registration.application.applicant_id, registration=registration,
        commitment=commitment if employer_guided(program) else None, beneficiary=program.beneficiary,
        family=program.family, period_kind=program.period, amount_fen=program.amount_fen,
        max_periods=program.max_periods, basis=basis,
    )
    audit_write(
        actor=None, action="entitlement_create", target=entitlement,
        summary=f"{cause}产生享受资格：{program.code}（{'；'.join(c['label'] for c in basis)}）",
        data={"program": program.code, "amount_fen": program.amount_fen, "max_periods": program.max_periods},
    )
    return entitlement


def competitors_mark(*, applicant_id: int, families: set[str]) -> None:
    """从优、从高、不重复: flag the families in which the settler now holds more than one entitlement."""
    crowded = (
        Entitlement.objects.filter(applicant_id=applicant_id, family__in=families)
        .values("family").annotate(n=Count("id")).filter(n__gt=1).values_list("family", flat=True)
    )
    Entitlement.objects.filter(
        applicant_id=applicant_id, family__in=list(crowded), competes=False
    ).update(competes=True)


def entitlements_grant_later(*, applicant_id: int, events: list[FactEvent]) -> list[Entitlement]:
    """Programs the settler has come to meet since the settlement (the stipend's student who graduates
    and takes a first job in Keqiao earns the 安心补贴). The rewards of 二(二)5 are not among them: they
    are for a settlement the employer guided, decided at the registration."""
    created = []
    registrations = (
        Registration.objects.filter(application__applicant_id=applicant_id, subsidy_intake__isnull=False)
        .select_related("application__route", "application__jurisdiction").order_by("registered_on", "id")
    )
    for registration in registrations:
        held = set(Entitlement.objects.filter(registration=registration).values_list("program__code", flat=True))
        facts = settler_facts(registration.application.facts, events)
        for program, basis in programs_due(registration, facts):
            if program.code in held or employer_guided(program):
                continue
            created.append(entitlement_create(program=program, registration=registration, basis=basis,
                                              commitment=None, cause="补录事实后符合条件，"))
    if created:
        competitors_mark(applicant_id=applicant_id, families={e.family for e in created})
    return created
