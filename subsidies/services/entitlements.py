"""A settler's entitlements, commitments and recoveries, worked out again from their dated facts.

Called inside the transaction that changed something about the person (registration intake, a fact
recorded or revoked, the guiding employer recorded); it locks the person's rows, so two clerks recording
facts for the same person are serialised. It touches one person's handful of rows, never a run's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from policies.models import SubsidyProgram
from subsidies.models import Commitment, Entitlement, FactEvent, Payment
from subsidies.rules import FACT_KINDS, HUKOU_MOVED_OUT, program_rule
from subsidies.services.audit import audit_write
from subsidies.services.grants import entitlements_grant_later

EMPLOYER = SubsidyProgram.Beneficiary.EMPLOYER


@dataclass
class RefreshResult:
    changed_entitlements: list[int] = field(default_factory=list)
    flagged_payments: list[int] = field(default_factory=list)
    unflagged_payments: list[int] = field(default_factory=list)
    broken_commitments: list[int] = field(default_factory=list)


def _window(entitlement: Entitlement, events: list[FactEvent]) -> tuple[date | None, date | None, str]:
    rule = program_rule(entitlement.program)
    settled = entitlement.registration.registered_on
    starts_on: date | None = settled
    for kind in rule.starts_with:
        dates = [e.occurred_on for e in events if e.kind == kind]
        if not dates:
            starts_on = None
            break
        starts_on = max(starts_on, min(dates))
    needs_employer = rule.needs_employer or entitlement.beneficiary == EMPLOYER
    if starts_on is not None and needs_employer:
        guiding = entitlement.commitment.employer_id if entitlement.commitment_id else entitlement.employer_id
        if guiding is None:
            starts_on = None
    stops = sorted(
        (max(e.occurred_on, settled), e.id, e)
        for e in events
        if e.kind in rule.stops_with and not (e.kind == HUKOU_MOVED_OUT and e.occurred_on < settled)
    )
    if not stops:
        return starts_on, None, ""
    stops_on, _, event = stops[0]
    return starts_on, stops_on, f"{FACT_KINDS[event.kind]}（{event.occurred_on:%Y-%m-%d}）"


def _commitment_state(commitment: Commitment, events: list[FactEvent], today: date) -> tuple[str, date | None]:
    moves = [e.occurred_on for e in events if e.kind == HUKOU_MOVED_OUT and e.occurred_on >= commitment.starts_on]
    first_move = min(moves) if moves else None
    if first_move is not None and first_move < commitment.ends_on:
        return Commitment.Status.BROKEN, first_move
    if today >= commitment.ends_on:
        return Commitment.Status.KEPT, None
    return Commitment.Status.IN_FORCE, None


def payment_recovery_reason(entitlement: Entitlement, payment: Payment) -> str:
    """Why this payment should come back, or "" if it was owed."""
    commitment = entitlement.commitment
    if commitment is not None and commitment.status == Commitment.Status.BROKEN:
        return f"五年内迁出户口（{commitment.broken_on:%Y-%m-%d}），未履行不迁出承诺"
    if not entitlement.in_force_on(payment.reference_date):
        why = entitlement.stop_reason if entitlement.stops_on else "资格尚未开始"
        return f"补录的事实表明该期不应发放：{why}"
    return ""


def entitlements_refresh(*, applicant_id: int, actor, cause: str, today: date) -> RefreshResult:
    """Recompute the person's windows, commitments and recovery flags; audit every change."""
    result = RefreshResult()
    now = timezone.now()
    events = list(FactEvent.objects.filter(applicant_id=applicant_id, revoked_at__isnull=True))
    for entitlement in entitlements_grant_later(applicant_id=applicant_id, events=events):
        result.changed_entitlements.append(entitlement.pk)

    commitments = {
        c.pk: c for c in Commitment.objects.select_for_update().filter(applicant_id=applicant_id)
    }
    for commitment in commitments.values():
        status, broken_on = _commitment_state(commitment, events, today)
        if (status, broken_on) != (commitment.status, commitment.broken_on):
            before = commitment.get_status_display()
            commitment.status, commitment.broken_on = status, broken_on
            commitment.save(update_fields=["status", "broken_on"])
            if status == Commitment.Status.BROKEN:
                result.broken_commitments.append(commitment.pk)
            audit_write(
                actor=actor, action="commitment_status", target=commitment,
                summary=f"承诺状态：{before} → {commitment.get_status_display()}（{cause}）",
                data={"status": status, "broken_on": broken_on and broken_on.isoformat()},
            )

    entitlements = list(
        Entitlement.objects.select_for_update(of=("self",))
        .filter(applicant_id=applicant_id)
        .select_related("program", "registration")
    )
    for entitlement in entitlements:
        if entitlement.commitment_id:
            entitlement.commitment = commitments[entitlement.commitment_id]
            if entitlement.beneficiary == EMPLOYER and entitlement.employer_id != entitlement.commitment.employer_id:
                entitlement.employer_id = entitlement.commitment.employer_id
                entitlement.save(update_fields=["employer"])
        window = _window(entitlement, events)
        if window != (entitlement.starts_on, entitlement.stops_on, entitlement.stop_reason):
            before = (entitlement.starts_on, entitlement.stops_on)
            entitlement.starts_on, entitlement.stops_on, entitlement.stop_reason = window
            entitlement.save(update_fields=["starts_on", "stops_on", "stop_reason"])
            result.changed_entitlements.append(entitlement.pk)
            audit_write(
                actor=actor, action="entitlement_window", target=entitlement,
                summary=f"{entitlement.program.code} 享受期间：{_span(*before)} → "
                        f"{_span(entitlement.starts_on, entitlement.stops_on)}（{cause}）",
                data={"starts_on": _iso(entitlement.starts_on), "stops_on": _iso(entitlement.stops_on),
                      "cause": cause},
            )

    by_id = {e.pk: e for e in entitlements}
    payments = Payment.objects.select_for_update().filter(entitlement_id__in=list(by_id)).order_by("id")
    for payment in payments:
        reason = payment_recovery_reason(by_id[payment.entitlement_id], payment)
        if reason and payment.recovery_status == Payment.Recovery.NONE:
            payment.recovery_status, payment.recovery_reason = Payment.Recovery.DUE, reason[:200]
            result.flagged_payments.append(payment.pk)
        elif not reason and payment.recovery_status == Payment.Recovery.DUE:
            payment.recovery_status, payment.recovery_reason = Payment.Recovery.NONE, ""
            result.unflagged_payments.append(payment.pk)
        else:
            continue
        payment.recovery_changed_at, payment.recovery_changed_by = now, actor if getattr(actor, "pk", None) else None
        payment.save(update_fields=["recovery_status", "recovery_reason", "recovery_changed_at", "recovery_changed_by"])
        audit_write(
            actor=actor, action="payment_recovery_flag" if reason else "payment_recovery_unflag", target=payment,
            summary=(f"标记待追回：{reason}" if reason else "撤销待追回标记：该期应当发放") + f"（{cause}）",
            data={"period": payment.period, "amount_fen": payment.amount_fen},
        )
    return result


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _span(starts_on: date | None, stops_on: date | None) -> str:
    if starts_on is None:
        return "未开始"
    return f"{starts_on:%Y-%m-%d} 起" + (f"，{stops_on:%Y-%m-%d} 停止" if stops_on else "")
