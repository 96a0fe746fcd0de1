"""Who may press which button on a case page. Roles come from applications.access; the services decide the rest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from applications.access import user_roles

CLERK, APPROVER, REGISTRAR, AUDITOR = "clerk", "approver", "registrar", "auditor"

# The transitions a member of staff fires from the admin, and the role that fires each.
# submit, resubmit and withdraw belong to the applicant (REST API) and never appear here.
TRANSITION_ROLES = {
    "accept": CLERK,
    "not_accept": CLERK,
    "request_correction": CLERK,
    "start_review": CLERK,
    "approve": APPROVER,
    "refuse": APPROVER,
    "register": REGISTRAR,
}
TRANSITION_LABELS = {
    "submit": _("Submit"),
    "accept": _("Accept"),
    "not_accept": _("Do not accept"),
    "request_correction": _("Request correction (one notice)"),
    "resubmit": _("Resubmit"),
    "start_review": _("Pass to approval"),
    "approve": _("Approve"),
    "refuse": _("Refuse"),
    "register": _("Register the settlement"),
    "withdraw": _("Withdraw"),
    "claim": _("Claim"),
    "release": _("Release"),
}
# Who may mark materials accepted or rejected, and who may claim a case.
MATERIAL_REVIEW_ROLES = {CLERK, APPROVER}
CLAIM_ROLES = {CLERK, APPROVER, REGISTRAR}

# The queue a role opens first.
DEFAULT_STEP = {CLERK: "accept", APPROVER: "approve", REGISTRAR: "register"}

def may_fire(user, transition: str) -> bool:
    role = TRANSITION_ROLES.get(transition)
    return role is not None and role in user_roles(user)


def may_review_materials(user) -> bool:
    return bool(MATERIAL_REVIEW_ROLES & user_roles(user))


def may_claim(user) -> bool:
    return bool(CLAIM_ROLES & user_roles(user))


def may_release(user, application) -> bool:
    """A claimed case is released by whoever holds it (or a superuser)."""
    if application.assigned_to_id is None or not may_claim(user):
        return False
    return application.assigned_to_id == user.pk or user.is_superuser


def default_step(user) -> str:
    roles = user_roles(user)
    for role in (CLERK, APPROVER, REGISTRAR):
        if role in roles:
            return DEFAULT_STEP[role]
    return "all"
