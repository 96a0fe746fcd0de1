"""Dashboard test helpers: staff of a role and jurisdiction, the world of cases, a refresh as of its day."""

from __future__ import annotations

import json
import re

import pytest

from applications.models import StaffJurisdiction
from dashboard.services.refresh import dashboard_refresh
from hukou.roles import roles_sync
from policies.models import Jurisdiction
from tests.applications.factories import UserFactory
from tests.dashboard.world import build_world


@pytest.fixture
def staff_of(db):
    groups = roles_sync()

    def make(role: str, *jurisdictions: str):
        user = UserFactory(is_staff=True, first_name="李")
        user.groups.add(groups[role])
        for code in jurisdictions:
            StaffJurisdiction.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=code))
        return user

    return make


@pytest.fixture
def world(db):
    world = build_world()
    dashboard_refresh(trigger="test", today=world.today)
    return world


def page_charts(response) -> dict:
    """The charts a dashboard page carries in its JSON, by id."""
    match = re.search(rb'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content, re.S)
    assert match, "the page carries no chart data"
    return {chart["id"]: chart for chart in json.loads(match.group(1))}
