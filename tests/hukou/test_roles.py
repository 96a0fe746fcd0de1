import pytest
from django.contrib.auth.models import Group

from hukou.demo import demo_accounts_create
from hukou.roles import ROLES, roles_sync


@pytest.mark.django_db
def test_every_role_is_a_group_and_syncing_twice_changes_nothing():
    roles_sync()
    first = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    roles_sync()
    second = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}

    assert set(first) == {role.group for role in ROLES}
    assert first == second


@pytest.mark.django_db
def test_policy_admin_may_change_routes_and_auditor_may_only_view_them():
    groups = roles_sync()

    policy_admin = set(groups["policy_admin"].permissions.values_list("codename", flat=True))
    auditor = set(groups["auditor"].permissions.values_list("codename", flat=True))
    clerk = set(groups["clerk"].permissions.values_list("codename", flat=True))

    assert {"change_settlementroute", "add_pointsband", "change_workingcalendarday"} <= policy_admin
    assert "view_settlementroute" in auditor
    assert not any(code.startswith(("add_", "change_", "delete_")) for code in auditor)
    assert "change_settlementroute" not in clerk


@pytest.mark.django_db
def test_demo_accounts_one_per_role_can_log_in(client):
    logins = demo_accounts_create()

    assert len(logins) == len(ROLES) == 10
    group, username, password = next(item for item in logins if item[1] == "demo_policy_admin")
    assert client.login(username=username, password=password)
    assert client.get("/admin/policies/settlementroute/").status_code == 200
    applicant = next(item for item in logins if item[1] == "demo_applicant")
    client.logout()
    assert client.login(username=applicant[1], password=applicant[2])
    assert client.get("/admin/").status_code == 302  # not staff: back to the login page


@pytest.mark.django_db
def test_demo_staff_work_for_the_whole_province():
    demo_accounts_create()
    from applications.models import StaffJurisdiction

    clerk_places = StaffJurisdiction.objects.filter(user__username="demo_clerk")
    codes = set(clerk_places.values_list("jurisdiction__code", flat=True))
    assert codes == {"zj"}
    assert not StaffJurisdiction.objects.filter(user__username="demo_applicant").exists()


@pytest.mark.django_db
def test_every_demo_staff_account_sees_every_jurisdiction_under_the_one_rule():
    from django.contrib.auth import get_user_model

    from applications.access import user_roles, user_scope
    from hukou.roles import ROLES
    from policies.models import Jurisdiction

    demo_accounts_create()
    everywhere = set(Jurisdiction.objects.values_list("pk", flat=True))
    for role in ROLES:
        user = get_user_model().objects.get(username=f"demo_{role.code}")
        if role.staff:
            assert user_roles(user) == {role.code}
            assert user_scope(user).jurisdiction_ids == everywhere, role.code
        else:
            assert user_scope(user).empty
