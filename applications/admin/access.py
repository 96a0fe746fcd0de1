"""Who may press which button on a case page. Roles are groups (hukou.roles); the services decide the rest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hukou.roles import ROLES, ROLES_BY_CODE

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

_ROLE_BY_GROUP = {role.group: role.code for role in ROLES}


def user_roles(user) -> frozenset[str]:
    """The role codes of a user (one query, then cached on the user object for the request)."""
    cached = getattr(user, "_hukou_roles", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        roles = frozenset()
    elif user.is_superuser:
        roles = frozenset(ROLES_BY_CODE)
    else:
        names = user.groups.values_list("name", flat=True)
        roles = frozenset(_ROLE_BY_GROUP[name] for name in names if name in _ROLE_BY_GROUP)
    user._hukou_roles = roles
    return roles


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
