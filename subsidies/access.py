"""Who may do what in the subsidies app. Roles and scope come from applications.access (the one rule).

- finance (财务人员) acts: starts payment runs, closes recoveries, records the guiding employer;
- clerks and registrars (and finance) record and revoke the dated facts of a settled person;
- everyone else with the app's view permission (finance approver, auditor, leader, …) only reads.
Which settlers, entitlements and runs each of them sees is their scope (subsidies.selectors).
"""

from __future__ import annotations

from applications.access import is_active_staff, user_has_role

FINANCE = "finance"
FACT_RECORDER_ROLES = ("clerk", "registrar", FINANCE)


def may_act_on_payments(user) -> bool:
    return is_active_staff(user) and user_has_role(user, FINANCE)


def may_record_facts(user) -> bool:
    return is_active_staff(user) and user_has_role(user, *FACT_RECORDER_ROLES)


def may_read(user) -> bool:
    return is_active_staff(user) and (user.is_superuser or user.has_perm("subsidies.view_entitlement"))
