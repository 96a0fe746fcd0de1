"""Where staff see personal data, a record is left (个人信息访问留痕): the admin case page, the full ID
numbers, material files, PDFs, subsidies searches by ID number, a settler's record pages. The auditor
searches the records by person (ID number in a POST form, never in a URL), staff user and period;
nobody, superusers included, edits or deletes them through the product."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications.models import PersonalDataAccess
from applications.services.personal_data import Kind, personal_data_access_record
from applications.services.transitions import application_accept, application_submit
from tests.applications.factories import ApplicantFactory, UserFactory
from tests.subsidies.factories import LOCAL_STUDENT, record, settle

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.fixture
def accepted(draft, clerk):
    application_submit(application_id=draft.pk, actor=draft.applicant.user)
    application_accept(application_id=draft.pk, actor=clerk)
    return draft


def rows(**filters):
    return list(PersonalDataAccess.objects.filter(**filters).values_list("kind", "applicant_id", "username"))


def test_the_case_page_is_recorded_and_shows_masked_id_numbers(client, clerk, accepted):
    page = login(client, clerk).get(reverse("admin:applications_application_change", args=[accepted.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert accepted.applicant.id_number not in body and accepted.applicant.id_number_masked in body
    assert rows() == [(Kind.CASE_PAGE, accepted.applicant_id, clerk.username)]


def test_the_full_id_numbers_are_shown_on_request_and_recorded(client, clerk, accepted):
    login(client, clerk)

    page = client.post(reverse("admin:applications_application_id_numbers", args=[accepted.pk]))

    assert page.status_code == 200 and accepted.applicant.id_number in page.content.decode()
    assert rows(kind=Kind.ID_NUMBER) == [(Kind.ID_NUMBER, accepted.applicant_id, clerk.username)]
    assert client.get(reverse("admin:applications_application_id_numbers", args=[accepted.pk])).status_code == 405


def test_a_clerk_of_another_jurisdiction_sees_no_id_number_and_leaves_no_row(client, staff_factory, accepted):
    login(client, staff_factory("clerk", "hz"))

    assert client.post(reverse("admin:applications_application_id_numbers", args=[accepted.pk])).status_code == 404
    assert rows() == []


def test_material_files_and_pdfs_are_recorded_for_staff_not_for_the_applicant(client, clerk, accepted):
    material = accepted.materials.first()
    file_url = reverse("api-material-file", args=[material.pk])
    pdf_url = reverse("documents:download", args=[accepted.case_number, "receipt"])

    login(client, accepted.applicant.user)
    assert client.get(file_url).status_code == 200 and client.get(pdf_url).status_code == 200
    assert rows() == []

    login(client, clerk)
    assert client.get(file_url).status_code == 200 and client.get(pdf_url).status_code == 200
    assert sorted(rows()) == sorted([(Kind.MATERIAL_FILE, accepted.applicant_id, clerk.username),
                                     (Kind.DOCUMENT, accepted.applicant_id, clerk.username)])


def test_the_case_read_through_the_api_by_staff_is_recorded(client, clerk, accepted):
    login(client, clerk).get(reverse("api-application-detail", args=[accepted.case_number]))

    assert rows() == [(Kind.CASE_PAGE, accepted.applicant_id, clerk.username)]


@pytest.mark.urls("tests.subsidies.urls")
def test_subsidies_searches_by_id_number_and_record_pages_are_recorded(client, clerk):
    settler = settle(route="kq.local_student", facts=LOCAL_STUDENT).application.applicant
    event = record(settler, "graduated", date(2026, 6, 20))
    login(client, clerk)

    found = client.post("/api/v1/subsidies/facts/search/", {"id_number": settler.id_number},
                        content_type="application/json")
    assert found.json()["count"] == 1
    assert client.get("/api/v1/subsidies/facts/").status_code == 200  # no person searched: nothing recorded
    assert client.get(reverse("admin:subsidies_factevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:subsidies_entitlement_changelist"), {"q": settler.id_number}).status_code == 200

    assert sorted(rows()) == sorted([(Kind.ID_SEARCH, settler.pk, clerk.username),
                                     (Kind.RECORD_PAGE, settler.pk, clerk.username),
                                     (Kind.ID_SEARCH, settler.pk, clerk.username)])


# --- the auditors' search ---------------------------------------------------------------------------------

@pytest.fixture
def accesses(staff_factory):
    keqiao, hangzhou = ApplicantFactory(), ApplicantFactory()
    from tests.subsidies.factories import registered_case

    registered_case(applicant=keqiao)
    registered_case(applicant=hangzhou, route="hz.college_graduate", jurisdiction="hz.city")
    clerk = staff_factory("clerk", "sx.kq")
    for person in (keqiao, hangzhou):
        request = type("R", (), {"user": clerk, "META": {"REMOTE_ADDR": "10.0.0.1"}})()
        personal_data_access_record(request=request, applicant=person, kind=Kind.CASE_PAGE)
    return keqiao, hangzhou, clerk


def test_the_auditor_finds_the_records_of_a_person_without_the_id_number_in_a_url(client, staff_factory, accesses):
    keqiao, hangzhou, clerk = accesses
    login(client, staff_factory("auditor", "sx.kq"))
    changelist = reverse("admin:applications_personaldataaccess_changelist")

    response = client.post(reverse("admin:applications_personaldataaccess_search"),
                           {"id_number": keqiao.id_number, "username": clerk.username, "since": "2000-01-01"})

    assert response.status_code == 302 and keqiao.id_number not in response["Location"]
    page = client.get(response["Location"])
    found = [row.applicant_id for row in page.context_data["cl"].result_list]
    assert found == [keqiao.pk]  # the auditor's own search was recorded too, but belongs to no case view
    assert keqiao.id_number not in page.content.decode()
    # a Hangzhou person's records are outside a Keqiao auditor's scope
    listed = {row.applicant_id for row in client.get(changelist).context_data["cl"].result_list}
    assert hangzhou.pk not in listed and keqiao.pk in listed
    assert PersonalDataAccess.objects.filter(kind=Kind.ID_SEARCH, applicant=keqiao).count() == 1


def test_a_bad_search_says_which_field(client, staff_factory, accesses):
    login(client, staff_factory("auditor", "sx.kq"))

    response = client.post(reverse("admin:applications_personaldataaccess_search"),
                           {"id_number": "110101199003074514", "since": "2026-02-01", "until": "2026-01-01"})

    assert response.status_code == 200
    form = response.context_data["search_form"]
    assert set(form.errors) == {"id_number", "until"}


def test_clerks_do_not_read_the_records_and_nobody_edits_them(client, staff_factory, accesses):
    row = PersonalDataAccess.objects.first()
    login(client, staff_factory("clerk", "sx.kq"))
    assert client.get(reverse("admin:applications_personaldataaccess_changelist")).status_code == 403

    login(client, UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:applications_personaldataaccess_change", args=[row.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"detail": "edited"}).status_code == 403
    assert client.post(reverse("admin:applications_personaldataaccess_delete", args=[row.pk]),
                       {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.get(pk=row.pk).detail == row.detail
