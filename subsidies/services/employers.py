"""Employers (用人单位) and the guiding employer of a 5-year commitment (绍柯 二(二)5)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.models import Applicant
from subsidies.errors import SubsidyError
from subsidies.models import Commitment, Employer, validate_uscc
from subsidies.models.employers import uscc_compact
from subsidies.periods import shanghai_today
from subsidies.services.audit import audit_write
from subsidies.services.entitlements import entitlements_refresh


def employer_register(*, uscc: str, name: str = "", actor) -> Employer:
    """The employer with this unified social credit code, created (with its name) if new."""
    code = uscc_compact(uscc).upper()
    try:
        validate_uscc(code)
    except ValidationError as error:
        raise SubsidyError("employer_uscc", error.messages[0]) from None
    existing = Employer.objects.filter(uscc=code).first()
    if existing is not None:
        return existing
    name = (name or "").strip()
    if not name:
        raise SubsidyError("employer_name", "新的用人单位请填写单位名称")
    try:
        with transaction.atomic():
            employer = Employer.objects.create(uscc=code, name=name[:120])
    except IntegrityError:  # registered by someone else a moment ago
        return Employer.objects.get(uscc=code)
    audit_write(actor=actor, action="employer_create", target=employer, summary=f"登记用人单位：{employer}")
    return employer


def commitment_employer_set(*, commitment_id: int, uscc: str, name: str = "", actor,
                            today: date | None = None) -> Commitment:
    """Record the employer that guided the settlement; both rewards can then be paid."""
    today = today or shanghai_today()
    with transaction.atomic():
        applicant_id = Commitment.objects.filter(pk=commitment_id).values_list("applicant_id", flat=True).first()
        if applicant_id is None:
            raise SubsidyError("commitment", "没有这条承诺记录")
        # the settler first, as every service that changes a settler's rows does
        Applicant.objects.select_for_update().filter(pk=applicant_id).get()
        commitment = Commitment.objects.select_for_update(of=("self",)).select_related("employer").get(pk=commitment_id)
        employer = employer_register(uscc=uscc, name=name, actor=actor)
        if commitment.employer_id == employer.pk:
            return commitment
        before = str(commitment.employer) if commitment.employer_id else "未记录"
        commitment.employer = employer
        commitment.save(update_fields=["employer"])
        audit_write(
            actor=actor, action="commitment_employer", target=commitment,
            summary=f"引导落户的用人单位：{before} → {employer}",
            data={"employer_id": employer.pk, "uscc": employer.uscc},
        )
        entitlements_refresh(
            applicant_id=commitment.applicant_id, actor=actor, cause=f"记录引导落户单位 {employer.uscc}", today=today
        )
    return commitment
