"""Registration creates entitlements (绍柯 二(二)4–5): the subscriber of applications' registration event."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction

from applications.models import Applicant, Registration
from subsidies.models import Commitment, Entitlement, FactEvent, RegistrationIntake
from subsidies.periods import add_years, shanghai_today
from subsidies.rules import EMPLOYED, GRADUATED, employer_guided
from subsidies.services.audit import audit_write
from subsidies.services.entitlements import entitlements_refresh
from subsidies.services.grants import COLLEGE_LEVELS, competitors_mark, entitlement_create, programs_due, settler_facts

logger = logging.getLogger(__name__)



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

        due = programs_due(registration, settler_facts(application.facts, []))
        programs = [program for program, _basis in due]
        guided = [p for p in programs if employer_guided(p)]
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
        created = [
            entitlement_create(program=program, registration=registration, basis=basis, commitment=commitment,
                               cause=f"落户登记（{application.route.code}）")
            for program, basis in due
        ]
        competitors_mark(applicant_id=application.applicant_id, families={p.family for p in programs})

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
