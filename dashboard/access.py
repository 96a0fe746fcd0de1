"""Who may see the dashboard, and of which jurisdictions. One call answers "which jurisdictions may this
user see here": the leader and analyst roles, within their scope (applications.access: the jurisdictions
they work for and everything below them); a superuser sees every one. Nobody else sees the dashboard."""

from __future__ import annotations

from applications.access import is_active_staff, user_roles, user_scope
from policies.models import Jurisdiction

LEADER, ANALYST = "leader", "analyst"
DASHBOARD_ROLES = frozenset({LEADER, ANALYST})
# Who may start a refresh of the figures by hand, and enter the yearly outside figures.
REFRESH_ROLES = frozenset({ANALYST})


def may_view_dashboard(user) -> bool:
    return is_active_staff(user) and (user.is_superuser or bool(DASHBOARD_ROLES & user_roles(user)))


def may_refresh_dashboard(user) -> bool:
    return is_active_staff(user) and (user.is_superuser or bool(REFRESH_ROLES & user_roles(user)))


def dashboard_jurisdiction_ids(user) -> frozenset[int]:
    """The jurisdictions whose figures this user may see on the dashboard (empty: none)."""
    cached = getattr(user, "_dashboard_jurisdictions", None)
    if cached is not None:
        return cached
    if not may_view_dashboard(user):
        ids = frozenset()
    elif user_scope(user).everything:
        ids = frozenset(Jurisdiction.objects.values_list("id", flat=True))
    else:
        ids = user_scope(user).jurisdiction_ids
    user._dashboard_jurisdictions = ids
    return ids
