from datetime import date

import pytest

from hukou.celery import app as celery_app
from hukou.roles import roles_sync
from tests.applications.factories import UserFactory
from tests.subsidies.factories import settle

ON = date(2026, 3, 2)


@pytest.fixture
def staff(db):
    """A member of staff in the group of a role: staff("finance"), staff("clerk"), …"""
    groups = roles_sync()

    def make(role: str, jurisdiction: str | None = "sx.kq"):
        from applications.models import StaffJurisdiction
        from policies.models import Jurisdiction

        user = UserFactory(is_staff=True)
        user.groups.add(groups[role])
        if jurisdiction:
            StaffJurisdiction.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=jurisdiction))
        return user

    return make


@pytest.fixture
def finance(staff):
    return staff("finance")


@pytest.fixture
def clerk(staff):
    return staff("clerk")


@pytest.fixture
def settled(db):
    """settled(route=…, facts=…, registered_on=…): a registered settler with entitlements."""
    return settle


@pytest.fixture
def eager_celery():
    """Celery tasks run in-process for this test (the admin and beat tests), whatever the broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Accounts are made by the dozen here; their passwords need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
