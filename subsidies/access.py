"""Who may do what in the subsidies app. Roles are groups (hukou.roles).

- finance (财务人员) acts: starts payment runs, closes recoveries, records the guiding employer;
- clerks and registrars (and finance) record and revoke the dated facts of a settled person;
- everyone else with the app's view permission (finance approver, auditor, leader, …) only reads.
"""

from __future__ import annotations

from hukou.roles import ROLES, ROLES_BY_CODE

FINANCE = "finance"
FACT_RECORDER_ROLES = frozenset({"clerk", "registrar", FINANCE})
# Staff who work on cases of their own jurisdictions only, here as there.
JURISDICTION_BOUND_ROLES = frozenset({"clerk", "approver", "registrar"})
_ROLE_BY_GROUP = {role.group: role.code for role in ROLES}


def user_roles(user) -> frozenset[str]:
    cached = getattr(user, "_subsidies_roles", None)
    if cached is not None:
        return cached
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        roles = frozenset()
    elif user.is_superuser:
        roles = frozenset(ROLES_BY_CODE)
    else:
        roles = frozenset(_ROLE_BY_GROUP[n] for n in user.groups.values_list("name", flat=True) if n in _ROLE_BY_GROUP)
    user._subsidies_roles = roles
    return roles


def may_act_on_payments(user) -> bool:
    return FINANCE in user_roles(user)


def may_record_facts(user) -> bool:
    return bool(FACT_RECORDER_ROLES & user_roles(user))


def may_read(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff
                and (user.is_superuser or user.has_perm("subsidies.view_entitlement")))


def sees_everyone(user) -> bool:
    """Finance, auditors and leaders work for the whole district; case staff only for their jurisdictions."""
    roles = user_roles(user)
    return user.is_superuser or bool(roles - JURISDICTION_BOUND_ROLES)
