"""Portal test helpers: a logged-in applicant, staff of a jurisdiction, a case moved along by the
clerk-side services (the way a clerk's buttons would)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import OfficeSlot, StaffJurisdiction
from applications.services.drafts import application_create, material_add
from applications.services.transitions import (
    application_accept,
    application_approve,
    application_register,
    application_start_review,
    application_submit,
)
from hukou.roles import roles_sync
from policies.models import Jurisdiction
from tests.applications.factories import GRADUATE_FACTS, ApplicantFactory, UserFactory, pdf

PASSWORD = "Pw-for-tests-1"


@pytest.fixture
def applicant(db):
    return ApplicantFactory()


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant.user)
    return client


@pytest.fixture
def staff_factory(db):
    groups = roles_sync()

    def make(role: str = "clerk", jurisdiction: str = "sx.kq"):
        user = UserFactory(is_staff=True, first_name="王科员")
        user.groups.add(groups[role])
        StaffJurisdiction.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=jurisdiction))
        return user

    return make


@pytest.fixture
def clerk(staff_factory):
    return staff_factory("clerk")


def make_draft(applicant, *, complete: bool = True):
    application = application_create(applicant=applicant, route_code="kq.graduate", jurisdiction_code="sx.kq",
                                     facts=GRADUATE_FACTS)
    if complete:
        for item in application.route.material_checklist:
            if item.get("required", True):
                material_add(application=application, checklist_code=item["code"], upload=pdf())
    return application


@pytest.fixture
def draft(applicant):
    return make_draft(applicant)


def accepted_case(applicant, clerk):
    application = make_draft(applicant)
    application_submit(application_id=application.pk, actor=applicant.user)
    return application_accept(application_id=application.pk, actor=clerk)


def registered_case(applicant, clerk):
    application = accepted_case(applicant, clerk)
    application_start_review(application_id=application.pk, actor=clerk)
    application_approve(application_id=application.pk, actor=clerk, reason="符合条件")
    application_register(application_id=application.pk, actor=clerk, address_type="talent_collective",
                         address="绍兴市柯桥区人才集体户")
    application.refresh_from_db()
    return application


def make_slot(*, capacity: int = 2, days: int = 3, jurisdiction: str = "sx.kq",
              office: str = "柯桥区行政服务中心户籍窗口"):
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return OfficeSlot.objects.create(
        jurisdiction=Jurisdiction.objects.get(code=jurisdiction), office=office, address="柯桥区笛扬路 1 号",
        starts_at=start, ends_at=start + timedelta(hours=1), capacity=capacity,
    )
