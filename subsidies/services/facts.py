"""Dated facts about a settled person (graduated, employed, changed employer, moved out), recorded by
clerks in the admin or through the API; each one re-decides the person's entitlements at once."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from applications.models import Applicant, Registration
from subsidies.errors import SubsidyError
from subsidies.models import FactEvent
from subsidies.periods import shanghai_today
from subsidies.rules import FACT_KINDS, HUKOU_MOVED_OUT
from subsidies.services.audit import audit_write
from subsidies.services.employers import employer_register
from subsidies.services.entitlements import RefreshResult, entitlements_refresh


def _settler_for_update(applicant_id: int) -> Applicant:
    applicant = Applicant.objects.select_for_update().filter(pk=applicant_id).first()
    if applicant is None:
        raise SubsidyError("applicant", "没有这个人员")
    return applicant


def fact_event_record(*, applicant_id: int, kind: str, occurred_on: date, actor, source: str = FactEvent.Source.ADMIN,
                      note: str = "", employer_uscc: str = "", employer_name: str = "", in_district: bool = True,
                      today: date | None = None) -> tuple[FactEvent, RefreshResult]:
    """Record one dated fact; the person's entitlements, commitment and recovery flags follow at once."""
    today = today or shanghai_today()
    if kind not in FACT_KINDS:
        kinds = "、".join(f"{code}（{label}）" for code, label in FACT_KINDS.items())
        raise SubsidyError("kind", f"事实类型应为：{kinds}")
    if not isinstance(occurred_on, date):
        raise SubsidyError("occurred_on", "请填写事实发生的日期")
    if occurred_on > today:
        raise SubsidyError("occurred_on", "事实发生日期不能晚于今天")
    if source not in FactEvent.Source.values:
        raise SubsidyError("source", "未知的录入来源")
    with transaction.atomic():
        _settler_for_update(applicant_id)
        settled = (
            Registration.objects.filter(application__applicant_id=applicant_id)
            .order_by("registered_on").values_list("registered_on", flat=True).first()
        )
        if settled is None:
            raise SubsidyError("applicant", "该人员没有落户登记，无需记录")
        if kind == HUKOU_MOVED_OUT and occurred_on < settled:
            raise SubsidyError("occurred_on", f"迁出日期早于落户登记日期（{settled:%Y-%m-%d}）")
        if FactEvent.objects.filter(
            applicant_id=applicant_id, kind=kind, occurred_on=occurred_on, revoked_at__isnull=True
        ).exists():
            raise SubsidyError("occurred_on", "该人员当日已记录同一事实")
        employer = None
        if employer_uscc:
            employer = employer_register(uscc=employer_uscc, name=employer_name, actor=actor)
        event = FactEvent.objects.create(
            applicant_id=applicant_id, kind=kind, occurred_on=occurred_on, employer=employer, in_district=in_district,
            note=(note or "").strip()[:200], source=source, recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_write(
            actor=actor, action="fact_record", target=event,
            summary=f"记录事实：{FACT_KINDS[kind]}（{occurred_on:%Y-%m-%d}）",
            data={"applicant_id": applicant_id, "kind": kind, "occurred_on": occurred_on.isoformat(),
                  "source": source},
        )
        result = entitlements_refresh(
            applicant_id=applicant_id, actor=actor, cause=f"{FACT_KINDS[kind]} {occurred_on:%Y-%m-%d}", today=today
        )
    return event, result


def fact_event_revoke(*, event_id: int, actor, reason: str,
                      today: date | None = None) -> tuple[FactEvent, RefreshResult]:
    """Revoke a fact recorded in error (with the reason); the entitlements are decided again."""
    today = today or shanghai_today()
    if not reason or not reason.strip():
        raise SubsidyError("reason", "请填写撤销理由")
    with transaction.atomic():
        applicant_id = FactEvent.objects.filter(pk=event_id).values_list("applicant_id", flat=True).first()
        if applicant_id is None:
            raise SubsidyError("event", "没有这条事实记录")
        _settler_for_update(applicant_id)
        event = FactEvent.objects.select_for_update().get(pk=event_id)
        if event.revoked_at is not None:
            raise SubsidyError("event", "该事实记录已撤销")
        event.revoked_at = timezone.now()
        event.revoked_by = actor if getattr(actor, "pk", None) else None
        event.revoke_reason = reason.strip()[:200]
        event.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_write(
            actor=actor, action="fact_revoke", target=event,
            summary=f"撤销事实：{FACT_KINDS[event.kind]}（{event.occurred_on:%Y-%m-%d}）：{event.revoke_reason}",
        )
        result = entitlements_refresh(
            applicant_id=applicant_id, actor=actor,
            cause=f"撤销{FACT_KINDS[event.kind]} {event.occurred_on:%Y-%m-%d}", today=today,
        )
    return event, result
