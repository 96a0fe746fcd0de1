from datetime import date

import pytest

from applications.models import StaffJurisdiction
from applications.services.drafts import application_create, material_add
from hukou.roles import roles_sync
from policies.models import Jurisdiction
from tests.applications.factories import GRADUATE_FACTS, ApplicantFactory, UserFactory, pdf

ON = date(2026, 3, 2)  # a Monday


@pytest.fixture
def applicant(db):
    return ApplicantFactory()


@pytest.fixture
def staff_factory(db):
    groups = roles_sync()

    def make(role: str, jurisdiction: str = "sx.kq"):
        user = UserFactory(is_staff=True)
        user.groups.add(groups[role])
        StaffJurisdiction.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=jurisdiction))
        return user

    return make


@pytest.fixture
def clerk(staff_factory):
    return staff_factory("clerk")


@pytest.fixture
def draft(applicant):
    """A complete Keqiao graduate draft: every required material uploaded."""
    application = application_create(
        applicant=applicant, route_code="kq.graduate", jurisdiction_code="sx.kq", facts=GRADUATE_FACTS, on=ON
    )
    for item in application.route.material_checklist:
        if item.get("required", True):
            material_add(application=application, checklist_code=item["code"], upload=pdf())
    return application
