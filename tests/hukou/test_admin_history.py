"""History pages are no side door (issue 8, holes 1 and 2).

django-simple-history's version page (``…/<id>/history/<version>/``) used to save any POST of a user who
could only *view* the model, and its history pages fell back to the historical rows when the object was
outside the user's jurisdictions. Now: a revert needs the admin to allow it, the change permission and
the object's scope; rows that change only through services are never reverted; the history of a row
outside one's scope does not exist.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from applications.models import StaffJurisdiction
from hukou.roles import roles_sync
from policies.models import Jurisdiction, SettlementRoute, SubsidyProgram
from subsidies.models import Entitlement, FactEvent
from tests.applications.factories import UserFactory
from tests.subsidies.factories import registered_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    groups = roles_sync()

    def make(role: str, jurisdiction: str = "sx.kq", **flags):
        user = UserFactory(is_staff=True, **flags)
        if role:
            user.groups.add(groups[role])
        StaffJurisdiction.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=jurisdiction))
        return user

    return make


def login(client, user):
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


def form_data(obj, **changes) -> dict:
    """What the admin's form posts for ``obj``, with some fields changed."""
    data = {}
    for name, value in {**model_to_dict(obj), **changes}.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list) and value and isinstance(value[0], dict):  # a JSON field (criteria, conditions)
            data[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list) and name != "criteria":
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = value
    return data


def version_url(obj, version=None) -> str:
    opts = obj._meta
    version = version or obj.history.earliest("history_date")
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])


def history_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


# --- hole 1 on the policy tables: view permission is not change permission ----------------------------

def test_a_view_only_auditor_cannot_set_the_stipend_amount_through_a_version_page(client, staff):
    stipend = SubsidyProgram.objects.get(code="kq.stipend")
    before, versions = stipend.amount_fen, stipend.history.count()
    login(client, staff("auditor"))

    response = client.post(version_url(stipend), form_data(stipend, amount_fen=99_999_900))

    assert response.status_code == 403
    assert SubsidyProgram.objects.get(pk=stipend.pk).amount_fen == before
    assert stipend.history.count() == versions


def test_a_clerk_cannot_replace_the_graduate_criteria_with_an_always_true_rule(client, staff):
    route = SettlementRoute.objects.get(code="kq.graduate")
    criteria = route.criteria
    login(client, staff("clerk"))

    data = form_data(route, criteria='[{"label": "总是符合", "rule": true}]', followers=route.followers)
    response = client.post(version_url(route), data)

    assert response.status_code == 403
    assert SettlementRoute.objects.get(pk=route.pk).criteria == criteria


def test_a_viewer_sees_a_version_read_only(client, staff):
    stipend = SubsidyProgram.objects.get(code="kq.stipend")
    login(client, staff("auditor"))

    page = client.get(version_url(stipend)).content.decode()

    assert 'name="amount_fen"' not in page and 'name="_save"' not in page
    assert "50000" in page  # the value is shown as text


def test_the_policy_admin_reverts_through_the_form_and_the_revert_is_in_the_history(client, staff):
    stipend = SubsidyProgram.objects.get(code="kq.stipend")
    first = stipend.history.earliest("history_date")
    SubsidyProgram.objects.filter(pk=stipend.pk).update(amount_fen=60_000)
    policy_admin = staff("policy_admin")
    login(client, policy_admin)

    response = client.post(version_url(stipend, first), form_data(stipend, amount_fen=50_000))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert SubsidyProgram.objects.get(pk=stipend.pk).amount_fen == 50_000
    assert stipend.history.latest("history_date").history_user_id == policy_admin.pk


def test_a_revert_is_checked_by_the_admin_form_like_an_edit(client, staff):
    route = SettlementRoute.objects.get(code="kq.graduate")
    login(client, staff("policy_admin"))

    data = form_data(route, criteria='[{"label": "未知条件", "rule": {"no_such_operator": []}}]',
                     followers=route.followers)
    response = client.post(version_url(route), data)

    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert SettlementRoute.objects.get(pk=route.pk).criteria == route.criteria


# --- holes 1 and 2 on the subsidies rows: scope, and no revert at all ----------------------------------

@pytest.fixture
def hangzhou_settler():
    """A settler registered in Hangzhou, with a fact (recorded, then revoked) and an entitlement that stopped."""
    registration = registered_case(route="hz.college_graduate", jurisdiction="hz.city")
    person = registration.application.applicant
    event = FactEvent.objects.create(applicant=person, kind="employed", occurred_on=date(2026, 4, 1), source="admin")
    event.revoked_at, event.revoke_reason = timezone.now(), "录错"
    event.save()
    stipend = SubsidyProgram.objects.get(code="kq.stipend")
    entitlement = Entitlement.objects.create(
        program=stipend, applicant=person, registration=registration, beneficiary="settler", family=stipend.family,
        period_kind="month", amount_fen=stipend.amount_fen, max_periods=6, starts_on=date(2026, 3, 2),
        stops_on=date(2026, 4, 1), stop_reason="就业",
    )
    entitlement.stop_reason = "就业（已核实）"
    entitlement.save()
    return event, entitlement


@pytest.mark.parametrize("which", [0, 1], ids=["fact event", "entitlement"])
def test_a_keqiao_clerk_gets_a_404_on_a_hangzhou_settlers_history(client, staff, hangzhou_settler, which):
    row = hangzhou_settler[which]
    login(client, staff("clerk", "sx.kq"))

    assert client.get(reverse(f"admin:subsidies_{row._meta.model_name}_change", args=[row.pk])).status_code == 302
    assert client.get(history_url(row)).status_code == 404
    assert client.get(version_url(row)).status_code == 404
    assert client.post(version_url(row), form_data(row)).status_code == 404


@pytest.mark.parametrize("which", [0, 1], ids=["fact event", "entitlement"])
def test_staff_of_the_settlers_jurisdiction_read_the_history_but_nobody_reverts_it(client, staff, hangzhou_settler,
                                                                                     which):
    row = hangzhou_settler[which]
    before = model_to_dict(type(row).objects.get(pk=row.pk))
    first = row.history.earliest("history_date")

    for user in (staff("clerk", "hz"), staff("", "zj", is_superuser=True)):
        login(client, user)
        assert client.get(history_url(row)).status_code == 200
        page = client.get(version_url(row, first))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        # un-revoke the fact / clear the entitlement's stop date: refused, nothing saved
        response = client.post(version_url(row, first), form_data(row, revoked_at=None, stops_on=None))
        assert response.status_code == 403
    assert model_to_dict(type(row).objects.get(pk=row.pk)) == before
