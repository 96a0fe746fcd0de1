"""The 5-year commitment and recoveries (绍柯 二(二)5): daily checks and finance's review."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from subsidies.errors import SubsidyError
from subsidies.models import Commitment, FactEvent, Payment
from subsidies.money import yuan
from subsidies.periods import shanghai_today
from subsidies.rules import HUKOU_MOVED_OUT
from subsidies.services.audit import audit_write, audit_write_many
from subsidies.services.entitlements import entitlements_refresh

REVIEW_BATCH = 10_000


def commitments_check(*, today: date | None = None) -> dict[str, int]:
    """Daily: commitments whose five years are over become kept; one with a move-out inside them that
    was somehow missed becomes broken (and both rewards are flagged), through the usual refresh."""
    today = today or shanghai_today()
    early_move = FactEvent.objects.filter(
        applicant_id=OuterRef("applicant_id"), kind=HUKOU_MOVED_OUT, revoked_at__isnull=True,
        occurred_on__gte=OuterRef("starts_on"), occurred_on__lt=OuterRef("ends_on"),
    )
    missed = list(
        Commitment.objects.filter(Exists(early_move)).exclude(status=Commitment.Status.BROKEN)
        .values_list("applicant_id", flat=True).distinct()
    )
    for applicant_id in missed:
        with transaction.atomic():
            entitlements_refresh(applicant_id=applicant_id, actor=None, cause="每日承诺核查", today=today)
    with transaction.atomic():
        kept = list(
            Commitment.objects.select_for_update()
            .filter(status=Commitment.Status.IN_FORCE, ends_on__lte=today)
            .exclude(Exists(early_move))
            .values_list("pk", flat=True)
        )
        Commitment.objects.filter(pk__in=kept).update(status=Commitment.Status.KEPT)
        audit_write_many(
            actor=None, action="commitment_status", target_type="commitment",
            rows=[(pk, "承诺期满未迁出：已履行", {"status": "kept"}) for pk in kept],
        )
    return {"broken": len(missed), "kept": len(kept)}


def payments_recovery_check() -> int:
    """Daily safety net: flag every payment that its entitlement no longer covers (a stop recorded
    while a run was computing it) or whose commitment is broken. Set-based; one audit row each."""
    not_owed = (
        Q(entitlement__starts_on__isnull=True)
        | Q(entitlement__starts_on__gt=F("reference_date"))
        | Q(entitlement__stops_on__lte=F("reference_date"))
        | Q(entitlement__commitment__status=Commitment.Status.BROKEN)
    )
    flagged = 0
    while True:
        with transaction.atomic():
            ids = list(
                Payment.objects.select_for_update(of=("self",)).filter(recovery_status=Payment.Recovery.NONE)
                .filter(not_owed).values_list("pk", flat=True)[:REVIEW_BATCH]
            )
            if not ids:
                return flagged
            Payment.objects.filter(pk__in=ids).update(
                recovery_status=Payment.Recovery.DUE, recovery_reason="每日核查：该期不应发放或承诺未履行",
                recovery_changed_at=timezone.now(),
            )
            audit_write_many(
                actor=None, action="payment_recovery_flag", target_type="payment",
                rows=[(pk, "标记待追回（每日核查）", {}) for pk in ids],
            )
            flagged += len(ids)


RESOLUTIONS = {
    Payment.Recovery.RECOVERED: "已追回",
    Payment.Recovery.WAIVED: "免予追回",
}


def payment_recovery_resolve(*, payment_ids: list[int], outcome: str, actor, note: str = "") -> int:
    """Finance closes payments flagged for recovery: recovered, or waived (with a note)."""
    if outcome not in RESOLUTIONS:
        raise SubsidyError("outcome", "处理结果应为已追回或免予追回")
    if outcome == Payment.Recovery.WAIVED and not (note or "").strip():
        raise SubsidyError("note", "免予追回须写明理由")
    with transaction.atomic():
        payments = list(Payment.objects.select_for_update().filter(pk__in=payment_ids).order_by("id"))
        not_due = [p.pk for p in payments if p.recovery_status != Payment.Recovery.DUE]
        if not_due or len(payments) != len(set(payment_ids)):
            raise SubsidyError("payments", "只能处理待追回的发放记录：" + "、".join(f"#{pk}" for pk in not_due))
        now = timezone.now()
        for payment in payments:
            payment.recovery_status, payment.recovery_changed_at, payment.recovery_changed_by = outcome, now, actor
            payment.save(update_fields=["recovery_status", "recovery_changed_at", "recovery_changed_by"])
            audit_write(
                actor=actor, action="payment_recovery_resolve", target=payment,
                summary=f"{RESOLUTIONS[outcome]}：{yuan(payment.amount_fen)} 元"
                        + (f"（{note.strip()}）" if note else ""),
                data={"outcome": outcome, "amount_fen": payment.amount_fen},
            )
    return len(payments)
