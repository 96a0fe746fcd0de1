"""Audit rows of the subsidies app: every service writes them inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable

from subsidies.models import AuditEntry


def audit_write(*, actor, action: str, target, summary: str, data: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.model_name,
        target_id=target.pk,
        summary=summary[:300],
        data=data or {},
    )


def audit_write_many(*, actor, action: str, target_type: str, rows: Iterable[tuple[int, str, dict]]) -> int:
    """One audit row per (target id, summary, data); one INSERT."""
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None, action=action, target_type=target_type,
            target_id=target_id, summary=summary[:300], data=data,
        )
        for target_id, summary, data in rows
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)
