"""Every portal page reads the database a fixed number of times, however much the case holds."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.services.appointments import appointment_book
from applications.services.drafts import family_member_add, material_add
from applications.services.transitions import application_request_correction, material_review
from tests.applications.factories import GRADUATE_FACTS, ApplicantFactory, id_number, pdf
from tests.portal.conftest import accepted_case, make_draft, make_slot, registered_case

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def login(client, applicant):
    client.force_login(applicant.user)
    return client


def grow(application, *, files: int, relatives: int) -> None:
    for _ in range(files):
        material_add(application=application, checklist_code="diploma", upload=pdf())
    born = {"spouse": date(1997, 1, 1), "child": date(2022, 1, 1), "parent": date(1968, 1, 1)}
    for n in range(relatives):
        relation = ["spouse", "child", "parent"][n % 3]
        family_member_add(application=application, relation=relation, real_name=f"家属{n}",
                          id_number=id_number(born[relation], region="110105"))


def test_case_page_of_a_draft(client):
    small, large = ApplicantFactory(), ApplicantFactory()
    small_case = make_draft(small, complete=False)
    large_case = make_draft(large)
    grow(large_case, files=4, relatives=3)
    counts = {queries(login(client, a), reverse("portal:case", args=[c.case_number]))
              for a, c in ((small, small_case), (large, large_case))}
    assert len(counts) == 1, counts


def test_case_page_under_correction_and_registered(client, clerk):
    counts = set()
    for extra in (0, 3):
        applicant = ApplicantFactory()
        application = accepted_case(applicant, clerk)
        for material in list(application.materials.all())[: 1 + extra]:
            material_review(material_id=material.pk, actor=clerk, accepted=False, reason="不清晰")
        application_request_correction(application_id=application.pk, actor=clerk)
        counts.add(queries(login(client, applicant), reverse("portal:case", args=[application.case_number])))
    assert len(counts) == 1, counts

    counts = set()
    for slots in (1, 3):
        applicant = ApplicantFactory()
        application = accepted_case(applicant, clerk)
        for n in range(slots):
            slot = make_slot(days=3 + n)
            appointment_book(application_id=application.pk, actor=applicant.user, slot_id=slot.pk)
        from applications.services.transitions import (
            application_approve,
            application_register,
            application_start_review,
        )

        application_start_review(application_id=application.pk, actor=clerk)
        application_approve(application_id=application.pk, actor=clerk)
        application_register(application_id=application.pk, actor=clerk, address_type="talent_collective",
                             address="人才集体户")
        counts.add(queries(login(client, applicant), reverse("portal:case", args=[application.case_number])))
    assert len(counts) == 1, counts


def test_my_cases(client, clerk):
    counts = set()
    for number in (1, 4):
        applicant = ApplicantFactory()
        for n in range(number):  # filed cases, then the one open draft a route may have
            if n < number - 1:
                accepted_case(applicant, clerk)
            else:
                make_draft(applicant, complete=False)
        counts.add(queries(login(client, applicant), reverse("portal:cases")))
    assert len(counts) == 1, counts


def test_visit_page(client, clerk):
    counts = set()
    for slots in (1, 6):
        applicant = ApplicantFactory()
        application = accepted_case(applicant, clerk)
        for n in range(slots):
            make_slot(days=2 + n)
        counts.add(queries(login(client, applicant), reverse("portal:visit", args=[application.case_number])))
    assert len(counts) == 1, counts


def test_rate_page(client, clerk):
    counts = set()
    for _ in range(2):
        applicant = ApplicantFactory()
        application = registered_case(applicant, clerk)
        counts.add(queries(login(client, applicant), reverse("portal:rate", args=[application.case_number])))
    assert len(counts) == 1, counts


def test_self_check_pages(client):
    """The same reads whatever the place (after the policy catalogue is loaded once per process)."""
    queries(client, reverse("portal:check") + "?place=sx.kq")  # loads the compiled policy catalogue
    place_page = {queries(client, reverse("portal:check")) for _ in range(2)}
    questions = {queries(client, reverse("portal:check") + f"?place={place}") for place in ("sx.kq", "hz.city", "jx")}
    results = set()
    for place in ("sx.kq", "hz.city", "jx"):
        session = client.session
        session["portal_selfcheck"] = {"place": place, "facts": GRADUATE_FACTS, "answers": {}}
        session.save()
        results.add(queries(client, reverse("portal:check_result")))
    assert len(place_page) == len(questions) == len(results) == 1, (place_page, questions, results)
    assert max(questions) <= 4 and max(results) <= 4


def test_home_and_account_pages(client):
    for name in ("home", "signup", "login", "password_reset"):
        assert queries(client, reverse(f"portal:{name}")) <= 2
