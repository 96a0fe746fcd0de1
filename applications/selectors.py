"""Reads: which cases a user may see, the clerk queues, the registration address options."""

from __future__ import annotations

from django.db.models import F, QuerySet

from applications.models import Application
from applications.models.applications import QUEUE_INDEX_STATES as QUEUE_STATES
from policies.models import AddressOption, Jurisdiction


def staff_jurisdiction_ids(user) -> set[int]:
    """The user's jurisdictions and every jurisdiction below them."""
    roots = set(user.staff_jurisdictions.values_list("jurisdiction_id", flat=True))
    if not roots:
        return set()
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    result = set()
    for node in parents:
        cursor, seen = node, set()
        while cursor is not None and cursor not in seen:
            if cursor in roots:
                result.add(node)
                break
            seen.add(cursor)
            cursor = parents.get(cursor)
    return result


def applications_visible_to(user) -> QuerySet[Application]:
    """An applicant sees their own cases; staff the cases of their jurisdictions; nobody else any."""
    queryset = Application.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.is_staff:
        return queryset.filter(jurisdiction_id__in=staff_jurisdiction_ids(user))
    return queryset.filter(applicant__user=user)


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
