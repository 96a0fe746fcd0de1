"""Registration creates entitlements (绍柯 二(二)4–5): the subscriber of applications' registration event."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.db.models import Count

from applications.models import Applicant, Registration
from policies.models import Jurisdiction, SubsidyProgram
from subsidies.models import Commitment, Entitlement, FactEvent, RegistrationIntake
from subsidies.periods import add_years, shanghai_today
from subsidies.rules import EMPLOYED, GRADUATED
from subsidies.services.audit import audit_write
from subsidies.services.entitlements import entitlements_refresh

logger = logging.getLogger(__name__)

COLLEGE_LEVELS = {"junior_college", "bachelor", "master", "doctor"}


def _ancestor_ids(jurisdiction_id: int) -> set[int]:
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    ids, cursor = set(), jurisdiction_id
    while cursor is not None and cursor not in ids:
        ids.add(cursor)
        cursor = parents.get(cursor)
    return ids


def _employed_here(facts: dict) -> bool:
    employment = facts.get("employment") or {}
    return bool(employment.get("employed") and employment.get("in_target"))


def _declared_facts(facts: dict, registered_on: date) -> list[tuple[str, date, str]]:
    """The facts a settler declared that already decide an entitlement on the settlement date."""
    declared = []
    graduation = facts.get("graduation_date")
    enrolled = bool((facts.get("student") or {}).get("enrolled"))
    if graduation and date.fromisoformat(graduation) <= registered_on:
        declared.append((GRADUATED, date.fromisoformat(graduation), "申报的毕业日期"))
    elif not enrolled and (facts.get("education") in COLLEGE_LEVELS or facts.get("overseas_returnee")):
        declared.append((GRADUATED, registered_on, "落户时已毕业（据申报事实）"))
    if (facts.get("employment") or {}).get("employed"):
        declared.append((EMPLOYED, registered_on, "落户时已就业（据申报事实）"))
    return declared


def _employer_guided(program: SubsidyProgram) -> bool:
    """二(二)5: a reward for an employer-guided settlement (with a commitment), or one paid to the employer."""
    return bool(program.commitment_years) or program.beneficiary == SubsidyProgram.Beneficiary.EMPLOYER


def _qualifying_programs(registration: Registration) -> list[SubsidyProgram]:
    application = registration.application
    places = _ancestor_ids(application.jurisdiction_id)
    programs = SubsidyProgram.objects.filter(active=True, routes=application.route).select_related("document")
    chosen = []
    for program in programs.order_by("code"):
        if program.jurisdiction_id not in places or not program.document.in_force_on(registration.registered_on):
            continue
        if _employer_guided(program) and not _employed_here(application.facts or {}):
            continue  # 二(二)5 rewards an employer-guided settlement: no employer here, no reward
        chosen.append(program)
    return chosen


def entitlements_create_for_registration(*, registration_id: int, today: date | None = None) -> list[Entitlement]:
    """Create the registration's entitlements from the program table, once (a repeat changes nothing)."""
    today = today or shanghai_today()
    with transaction.atomic():
        registration = Registration.objects.select_related(
            "application__route", "application__jurisdiction"
        ).get(pk=registration_id)
        application = registration.application
        # one settler's intake, facts and payments are changed one transaction at a time
        Applicant.objects.select_for_update().filter(pk=application.applicant_id).get()
        if RegistrationIntake.objects.filter(registration=registration).exists():
            return list(registration.subsidy_entitlements.all())

        programs = _qualifying_programs(registration)
        guided = [p for p in programs if _employer_guided(p)]
        years = max((p.commitment_years or 0 for p in guided), default=0)
        commitment = None
        if guided:  # the record of the guiding employer, and of the commitment not to move out
            commitment = Commitment.objects.create(
                applicant_id=application.applicant_id, registration=registration, years=years,
                starts_on=registration.registered_on, ends_on=add_years(registration.registered_on, years),
            )
            audit_write(
                actor=None, action="commitment_create", target=commitment,
                summary=f"落户登记：承诺 {years} 年内不迁出（至 {commitment.ends_on:%Y-%m-%d}）" if years
                else "落户登记：用人单位引导落户（无不迁出承诺）",
            )
        created = []
        for program in programs:
            entitlement = Entitlement.objects.create(
                program=program, applicant_id=application.applicant_id, registration=registration,
                commitment=commitment if _employer_guided(program) else None, beneficiary=program.beneficiary,
                family=program.family, period_kind=program.period, amount_fen=program.amount_fen,
                max_periods=program.max_periods,
            )
            created.append(entitlement)
            audit_write(
                actor=None, action="entitlement_create", target=entitlement,
                summary=f"落户登记（{application.route.code}）产生享受资格：{program.code}",
                data={"program": program.code, "amount_fen": program.amount_fen, "max_periods": program.max_periods},
            )
        _mark_competitors(applicant_id=application.applicant_id, families={p.family for p in programs})

        for kind, occurred_on, note in _declared_facts(application.facts or {}, registration.registered_on):
            FactEvent.objects.get_or_create(
                applicant_id=application.applicant_id, kind=kind, occurred_on=occurred_on, revoked_at=None,
                defaults={"source": FactEvent.Source.REGISTRATION, "note": note},
            )
        RegistrationIntake.objects.create(registration=registration, entitlements=len(created))
        entitlements_refresh(
            applicant_id=application.applicant_id, actor=None, cause=f"落户登记 {registration.registered_on}",
            today=today,
        )
    logger.info("registration %s: %d entitlements", registration_id, len(created))
    return created


def _mark_competitors(*, applicant_id: int, families: set[str]) -> None:
    """从优、从高、不重复: flag the families in which the settler now holds more than one entitlement."""
    crowded = (
        Entitlement.objects.filter(applicant_id=applicant_id, family__in=families)
        .values("family").annotate(n=Count("id")).filter(n__gt=1).values_list("family", flat=True)
    )
    Entitlement.objects.filter(
        applicant_id=applicant_id, family__in=list(crowded), competes=False
    ).update(competes=True)


def registrations_intake_backfill(*, since: date, today: date | None = None) -> int:
    """Take in the registrations since ``since`` whose event was missed (daily safety net)."""
    missed = Registration.objects.filter(registered_on__gte=since, subsidy_intake__isnull=True).values_list(
        "pk", flat=True
    )
    count = 0
    for registration_id in list(missed):
        try:
            entitlements_create_for_registration(registration_id=registration_id, today=today)
            count += 1
        except Exception:
            logger.exception("intake of registration %s failed", registration_id)
    return count
