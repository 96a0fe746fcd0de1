"""Reads: which cases a user may see, the clerk queues, the registration address options."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from applications.access import scope_queryset, user_has_role, user_scope
from applications.models import Application, PersonalDataAccess
from applications.models.applications import QUEUE_INDEX_STATES as QUEUE_STATES
from policies.eligibility.checklist import checklist_applicable
from policies.models import AddressOption

# The staff roles that work on or audit single cases; finance, policy admins and leaders have no
# business with them (and so see none, whatever their jurisdictions).
CASE_READER_ROLES = ("clerk", "approver", "registrar", "auditor")


def applications_visible_to(user) -> QuerySet[Application]:
    """An applicant sees their own cases; case staff the cases of their scope (applications.access);
    nobody else any."""
    queryset = Application.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        if not user_has_role(user, *CASE_READER_ROLES):
            return queryset.none()
        return scope_queryset(queryset, user=user, path="jurisdiction")
    return queryset.filter(applicant__user=user)


def personal_data_accesses_visible_to(user) -> QuerySet[PersonalDataAccess]:
    """Records of views of personal data an auditor may read: views of the people with a case in their
    scope, and views of no one person (exports, purges) by staff assigned in their scope."""
    queryset = PersonalDataAccess.objects.all()
    scope = user_scope(user)
    if scope.everything or scope.empty:
        return queryset if scope.everything else queryset.none()
    about_people = scope_queryset(queryset, user=user, path="applicant__applications__jurisdiction")
    by_staff = scope_queryset(
        queryset.filter(applicant__isnull=True), user=user, path="user__staff_jurisdictions__jurisdiction"
    )
    return queryset.filter(Q(pk__in=about_people.values("pk")) | Q(pk__in=by_staff.values("pk")))


def application_queue(*, user, step: str) -> QuerySet[Application]:
    """A work queue: overdue and nearly-due first (no due date last), then oldest first."""
    if step not in QUEUE_STATES:
        raise ValueError(f"unknown queue {step!r}")
    return (
        applications_visible_to(user)
        .filter(state__in=QUEUE_STATES[step])
        .select_related("applicant", "route", "jurisdiction", "assigned_to")
        .defer("facts", "eligibility", "route_snapshot")  # large JSON a queue row never shows
        .order_by(F("due_date").asc(nulls_last=True), "submitted_at", "id")
    )


def _fact(facts: dict, path: str):
    node = facts
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def registration_address_options(application: Application) -> list[tuple[str, str]]:
    """The 落户地址 kinds this case may use, in the order of precedence, first one first."""
    facts = application.facts
    allowed_by_facts = {
        AddressOption.OWN_RESIDENCE: bool(
            _fact(facts, "residence.stable_residence_in_target") or _fact(facts, "joining.sponsor_has_stable_residence")
        ),
        AddressOption.RELATIVE_HOUSEHOLD: bool(facts.get("joining")),
        AddressOption.EMPLOYER_COLLECTIVE: bool(
            _fact(facts, "employment.employed") and _fact(facts, "employment.in_target")
        ),
        AddressOption.SCHOOL_COLLECTIVE: bool(
            _fact(facts, "student.enrolled") and _fact(facts, "student.school_in_target")
        ),
        AddressOption.TALENT_COLLECTIVE: True,
        AddressOption.COMMUNITY_COLLECTIVE: True,
    }
    route_options = (application.route_snapshot or {}).get("address_options") or application.route.address_options
    return [
        (option.value, str(option.label))
        for option in AddressOption
        if option.value in route_options and allowed_by_facts[option]
    ]


def application_timeline(application: Application) -> list[dict]:
    return [
        {
            "at": t.at,
            "transition": t.transition,
            "from": t.source,
            "to": t.target,
            "by": t.actor.get_full_name() or t.actor.get_username() if t.actor else "",
            "reason": t.reason,
        }
        for t in application.transitions.select_related("actor")
    ]


def application_checklist(application: Application, on: date | None = None) -> list[dict]:
    """The materials this case asks for: frozen at submission; for a draft, the route's checklist as
    the declared facts call for it (materials follow the facts: a renter is not asked for a property
    certificate)."""
    frozen = (application.route_snapshot or {}).get("material_checklist")
    if frozen is not None and application.route_snapshot:
        return frozen
    return checklist_applicable(application.route.material_checklist, application.facts, on or timezone.localdate())
