"""Reads of the subsidies app."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from applications.access import scope_queryset, user_scope
from applications.models import Applicant, Registration
from subsidies.models import AuditEntry, Commitment, Employer, Entitlement, FactEvent, Payment, PaymentRun

# Where each subsidies row finds its jurisdiction (applications.access): the settlement's, i.e. the
# jurisdiction of the registered case; a payment run's is its program's.
REGISTRATION_PATH = "application__jurisdiction"
SETTLER_PATH = "applications__registration__application__jurisdiction"  # from an Applicant: where they settled
ENTITLEMENT_PATH = "registration__application__jurisdiction"
COMMITMENT_PATH = "registration__application__jurisdiction"
FACT_EVENT_PATH = f"applicant__{SETTLER_PATH}"
PAYMENT_PATH = f"entitlement__{ENTITLEMENT_PATH}"
RUN_PATH = "program__jurisdiction"
PROGRAM_PATH = "jurisdiction"
# AuditEntry.target_type → (model, path); None: rows about objects that belong to no jurisdiction
# (employers are legal persons on a public register) and are shown to every reader of the audit.
AUDIT_TARGET_SCOPES = {
    "factevent": (FactEvent, FACT_EVENT_PATH),
    "entitlement": (Entitlement, ENTITLEMENT_PATH),
    "commitment": (Commitment, COMMITMENT_PATH),
    "payment": (Payment, PAYMENT_PATH),
    "paymentrun": (PaymentRun, RUN_PATH),
    "registration": (Registration, REGISTRATION_PATH),
    "employer": (Employer, None),
}


def applicants_visible_to(user) -> QuerySet[Applicant]:
    """Settled people a member of staff may see here: those registered in their scope."""
    registrations = scope_queryset(Registration.objects.all(), user=user, path=REGISTRATION_PATH)
    return Applicant.objects.filter(pk__in=registrations.values("application__applicant_id"))


def entitlements_visible_to(user) -> QuerySet[Entitlement]:
    return scope_queryset(Entitlement.objects.all(), user=user, path=ENTITLEMENT_PATH)


def fact_events_visible_to(user) -> QuerySet[FactEvent]:
    return scope_queryset(FactEvent.objects.all(), user=user, path=FACT_EVENT_PATH)


def commitments_visible_to(user) -> QuerySet[Commitment]:
    return scope_queryset(Commitment.objects.all(), user=user, path=COMMITMENT_PATH)


def payments_visible_to(user) -> QuerySet[Payment]:
    return scope_queryset(Payment.objects.all(), user=user, path=PAYMENT_PATH)


def payment_runs_visible_to(user) -> QuerySet[PaymentRun]:
    return scope_queryset(PaymentRun.objects.all(), user=user, path=RUN_PATH)


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Audit rows about objects in the user's scope. A row about a kind of object not listed in
    AUDIT_TARGET_SCOPES is shown to superusers only (a new kind must say where it belongs)."""
    queryset = AuditEntry.objects.all()
    scope = user_scope(user)
    if scope.everything:
        return queryset
    if scope.empty:
        return queryset.none()
    visible = Q(pk__in=[])
    for target_type, (model, path) in AUDIT_TARGET_SCOPES.items():
        if path is None:
            visible |= Q(target_type=target_type)
        else:
            in_scope = scope_queryset(model.objects.all(), user=user, path=path).values("pk")
            visible |= Q(target_type=target_type, target_id__in=in_scope)
    return queryset.filter(visible)


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
