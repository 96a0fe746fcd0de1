"""Demo accounts, one per role, for the one-command demo run."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from applications.models import StaffJurisdiction
from hukou.roles import ROLES, roles_sync
from policies.models import Jurisdiction

DEMO_PREFIX = "demo_"
# Staff demo accounts work for the whole province, so every demo case shows in their queues.
DEMO_STAFF_JURISDICTION = "zj"


@transaction.atomic
def demo_accounts_create(*, password: str | None = None) -> list[tuple[str, str, str]]:
    """Create (or reset) one demo user per role; returns (role group, username, password).

    Passwords are new each time unless one is given: the demo prints them, nothing stores them.
    """
    User = get_user_model()
    groups = roles_sync()
    logins = []
    for role in ROLES:
        username = f"{DEMO_PREFIX}{role.code}"
        user, _ = User.objects.get_or_create(username=username)
        secret = password or secrets.token_urlsafe(9)
        user.set_password(secret)
        user.is_staff = role.staff
        user.is_active = True
        user.first_name = role.group
        user.save()
        user.groups.set([groups[role.code]])
        if role.staff:
            StaffJurisdiction.objects.get_or_create(
                user=user, jurisdiction=Jurisdiction.objects.get(code=DEMO_STAFF_JURISDICTION)
            )
        logins.append((role.group, username, secret))
    return logins
