"""The one scoping rule (applications.access): a member of staff sees the rows of their jurisdictions and
those below them, whatever their role; superusers see everything; nobody else sees staff rows."""

import pytest

from applications.access import (
    may_see_jurisdiction,
    may_see_object,
    scope_queryset,
    user_has_role,
    user_roles,
    user_scope,
)
from applications.models import Application, StaffJurisdiction
from policies.models import Jurisdiction
from subsidies.models import FactEvent
from tests.applications.factories import ApplicantFactory, UserFactory
from tests.subsidies.factories import registered_case

pytestmark = pytest.mark.django_db


def code_ids(*codes):
    return {Jurisdiction.objects.get(code=code).pk for code in codes}


def below(code: str) -> set[int]:
    """The jurisdiction and every one below it, worked out the slow way."""
    found = code_ids(code)
    while True:
        more = set(Jurisdiction.objects.filter(parent_id__in=found).values_list("pk", flat=True)) - found
        if not more:
            return found
        found |= more


@pytest.mark.parametrize("role", ["clerk", "approver", "registrar", "finance", "finance_approver", "policy_admin",
                                  "auditor", "leader"])
def test_every_staff_role_is_bound_to_its_jurisdictions(staff_factory, role):
    keqiao = staff_factory(role, "sx.kq")

    assert user_roles(keqiao) == {role}
    assert user_scope(keqiao).jurisdiction_ids == code_ids("sx.kq")
    assert may_see_jurisdiction(keqiao, Jurisdiction.objects.get(code="sx.kq"))
    assert not may_see_jurisdiction(keqiao, Jurisdiction.objects.get(code="hz.city"))
    assert not may_see_jurisdiction(keqiao, None)


def test_a_jurisdiction_covers_those_below_it(staff_factory):
    province = staff_factory("auditor", "zj")
    shaoxing = staff_factory("clerk", "sx")

    assert user_scope(province).jurisdiction_ids == below("zj") and len(below("zj")) > 5
    assert user_scope(shaoxing).jurisdiction_ids == code_ids("sx", "sx.kq")
    StaffJurisdiction.objects.create(user=shaoxing, jurisdiction=Jurisdiction.objects.get(code="jx"))
    shaoxing = type(shaoxing).objects.get(pk=shaoxing.pk)  # the next request works the scope out again
    assert user_scope(shaoxing).jurisdiction_ids == code_ids("sx", "sx.kq", "jx")


def test_superusers_see_everywhere_and_accounts_that_are_not_active_staff_nowhere(staff_factory):
    root = UserFactory(is_staff=True, is_superuser=True)
    applicant = ApplicantFactory().user
    gone = staff_factory("clerk")
    gone.is_active = False
    no_staff_flag = UserFactory(is_staff=False)
    no_staff_flag.groups.add(*staff_factory("clerk").groups.all())  # a clerk's group on a non-staff account

    assert user_scope(root).everything and may_see_jurisdiction(root, None)
    assert "auditor" in user_roles(root) and "applicant" not in user_roles(root)
    for user in (applicant, gone, no_staff_flag):
        assert user_scope(user).empty
    assert user_roles(no_staff_flag) == set() and user_roles(gone) == set()
    with pytest.raises(ValueError):
        user_has_role(root, "janitor")


def test_a_queryset_is_filtered_along_a_path_and_a_to_many_path_lists_a_row_once(staff_factory):
    keqiao_clerk, hangzhou_clerk = staff_factory("clerk", "sx.kq"), staff_factory("clerk", "hz")
    person = ApplicantFactory()
    keqiao = registered_case(applicant=person).application
    registered_case(applicant=person, route="kq.title")  # two Keqiao cases: still one row below
    event = FactEvent.objects.create(applicant=person, kind="graduated", occurred_on="2026-06-20", source="admin")
    path = "applicant__applications__jurisdiction"

    assert list(scope_queryset(Application.objects.all(), user=keqiao_clerk, path="jurisdiction")).count(keqiao) == 1
    assert not scope_queryset(Application.objects.all(), user=hangzhou_clerk, path="jurisdiction").exists()
    assert list(scope_queryset(FactEvent.objects.all(), user=keqiao_clerk, path=path)) == [event]
    assert not scope_queryset(FactEvent.objects.all(), user=hangzhou_clerk, path=path).exists()
    assert may_see_object(keqiao_clerk, event, path=path) and not may_see_object(hangzhou_clerk, event, path=path)
    assert may_see_object(keqiao_clerk, keqiao, path="jurisdiction")
    assert not may_see_object(hangzhou_clerk, keqiao, path="jurisdiction")


def test_the_rule_costs_one_query_per_request(staff_factory, django_assert_num_queries):
    made = staff_factory("clerk", "sx")
    clerk = type(made).objects.get(pk=made.pk)  # as a request loads it: nothing cached yet
    with django_assert_num_queries(2):  # the groups, the jurisdictions with those below them
        user_roles(clerk)
        user_scope(clerk)
        user_scope(clerk)
        may_see_jurisdiction(clerk, 1)
