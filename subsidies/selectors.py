"""Reads of the subsidies app."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from applications.models import Applicant, ApplicationState
from applications.selectors import applications_visible_to
from subsidies.access import sees_everyone
from subsidies.models import Entitlement, FactEvent, Payment


def applicants_visible_to(user) -> QuerySet[Applicant]:
    """Settled people a member of staff may see here: all of them for finance, auditors and leaders;
    those registered in their own jurisdictions for case staff."""
    if sees_everyone(user):
        return Applicant.objects.all()
    registered = applications_visible_to(user).filter(state=ApplicationState.REGISTERED)
    return Applicant.objects.filter(pk__in=registered.values("applicant_id"))


def entitlements_visible_to(user) -> QuerySet[Entitlement]:
    queryset = Entitlement.objects.all()
    if not sees_everyone(user):
        queryset = queryset.filter(applicant__in=applicants_visible_to(user))
    return queryset


def fact_events_visible_to(user) -> QuerySet[FactEvent]:
    queryset = FactEvent.objects.all()
    if not sees_everyone(user):
        queryset = queryset.filter(applicant__in=applicants_visible_to(user))
    return queryset


def entitlement_totals(entitlement_ids) -> dict[int, dict]:
    """Payments made and fen paid per entitlement (for lists: one query)."""
    rows = (
        Payment.objects.filter(entitlement_id__in=list(entitlement_ids)).values("entitlement_id")
        .annotate(n=Count("id"), fen=Sum("amount_fen"))
    )
    return {row["entitlement_id"]: {"periods": row["n"], "fen": row["fen"]} for row in rows}


def payments_for_review() -> QuerySet[Payment]:
    """The recovery list for finance: payments flagged for recovery, oldest first."""
    return Payment.objects.filter(recovery_status=Payment.Recovery.DUE).order_by("id")
