"""The one visit: book a slot (never beyond its capacity, even under concurrent requests) or choose
postal delivery."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.errors import ApplicationError, ConflictError
from applications.models import ApplicationTransition, Appointment, OfficeSlot
from applications.services.appointments import appointment_book, appointment_choose_postal
from tests.applications.factories import ApplicantFactory
from tests.portal.conftest import accepted_case, make_draft, make_slot


def visit_url(application):
    return reverse("portal:visit", kwargs={"case_number": application.case_number})


@pytest.mark.django_db
def test_book_a_slot_then_change_it_then_choose_post(applicant_client, applicant, clerk):
    application = accepted_case(applicant, clerk)
    first, second = make_slot(capacity=1), make_slot(capacity=2, days=4)
    make_slot(jurisdiction="jx", office="嘉兴市民中心")  # another place: not offered
    page = applicant_client.get(visit_url(application)).content.decode()
    assert "柯桥区行政服务中心户籍窗口" in page and "剩余 1 个名额" in page and "嘉兴市民中心" not in page

    response = applicant_client.post(visit_url(application), {"method": "visit", "visit-slot": first.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.booked == 1
    assert ApplicationTransition.objects.filter(application=application, transition="visit_booked").exists()
    case_page = applicant_client.get(reverse("portal:case", args=[application.case_number])).content.decode()
    assert "已预约" in case_page

    applicant_client.post(visit_url(application), {"method": "visit", "visit-slot": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booked, second.booked) == (0, 1)

    bad = applicant_client.post(visit_url(application), {"method": "postal", "postal-recipient": "陈小明",
                                                         "postal-phone": "123", "postal-address": "柯桥"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "手机号码应为以 1 开头的 11 位数字" in html and 'value="柯桥"' in html
    assert "请填写完整的邮寄地址" in applicant_client.post(visit_url(application), {
        "method": "postal", "postal-recipient": "陈小明", "postal-phone": "13912345678", "postal-address": "柯桥",
    }).content.decode()
    ok = applicant_client.post(visit_url(application), {
        "method": "postal", "postal-recipient": "陈小明", "postal-phone": "13912345678",
        "postal-address": "浙江省绍兴市柯桥区笛扬路 1 号",
    })
    assert ok.status_code == 302
    second.refresh_from_db()
    assert second.booked == 0
    assert Appointment.objects.get(application=application).method == Appointment.Method.POSTAL


@pytest.mark.django_db
def test_a_full_or_past_slot_is_refused_beside_the_choice(applicant_client, applicant, clerk):
    application = accepted_case(applicant, clerk)
    slot = make_slot(capacity=1)
    OfficeSlot.objects.filter(pk=slot.pk).update(booked=1)
    page = applicant_client.get(visit_url(application)).content.decode()
    assert "近期没有可预约的时段" in page  # full slots are not offered
    response = applicant_client.post(visit_url(application), {"method": "visit", "visit-slot": slot.pk})
    assert response.status_code == 400 and "请选择一个办理时段" not in response.content.decode()
    assert "该时段不可预约" in response.content.decode()
    with pytest.raises(ApplicationError, match="已约满"):
        appointment_book(application_id=application.pk, actor=applicant.user, slot_id=slot.pk)
    past = make_slot(days=-1)
    with pytest.raises(ApplicationError, match="已约满或已过期"):
        appointment_book(application_id=application.pk, actor=applicant.user, slot_id=past.pk)


@pytest.mark.django_db
def test_only_the_owner_of_an_accepted_case_books(applicant, clerk):
    application = accepted_case(applicant, clerk)
    draft = make_draft(applicant)
    slot = make_slot()
    with pytest.raises(ConflictError):
        appointment_book(application_id=draft.pk, actor=applicant.user, slot_id=slot.pk)
    with pytest.raises(ApplicationError, match="本人"):
        appointment_book(application_id=application.pk, actor=ApplicantFactory().user, slot_id=slot.pk)
    with pytest.raises(ApplicationError, match="本办件所在地"):
        appointment_book(application_id=application.pk, actor=applicant.user,
                         slot_id=make_slot(jurisdiction="jx").pk)
    with pytest.raises(ApplicationError, match="收件人"):
        appointment_choose_postal(application_id=application.pk, actor=applicant.user, recipient="",
                                  phone="13912345678", address="浙江省绍兴市柯桥区")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_bookings_never_overfill_a_slot(clerk):
    capacity, people = 3, 8
    cases = [accepted_case(ApplicantFactory(), clerk) for _ in range(people)]
    slot = make_slot(capacity=capacity)
    barrier = threading.Barrier(people)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(application):
        try:
            barrier.wait(timeout=10)
            appointment_book(application_id=application.pk, actor=application.applicant.user, slot_id=slot.pk)
            result = "booked"
        except ApplicationError:
            result = "full"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(application,)) for application in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    slot.refresh_from_db()
    assert sorted(outcomes) == ["booked"] * capacity + ["full"] * (people - capacity)
    assert slot.booked == capacity
    assert Appointment.objects.filter(slot=slot).count() == capacity


@pytest.mark.django_db
def test_slot_capacity_cannot_go_below_the_bookings_in_the_admin(admin_client, applicant, clerk):
    application = accepted_case(applicant, clerk)
    slot = make_slot(capacity=2)
    appointment_book(application_id=application.pk, actor=applicant.user, slot_id=slot.pk)
    url = reverse("admin:applications_officeslot_change", args=[slot.pk])
    start = timezone.localtime(slot.starts_at)
    end = start + timedelta(hours=1)
    data = {"jurisdiction": slot.jurisdiction_id, "office": slot.office, "address": slot.address,
            "starts_at_0": start.strftime("%Y-%m-%d"), "starts_at_1": start.strftime("%H:%M:%S"),
            "ends_at_0": end.strftime("%Y-%m-%d"), "ends_at_1": end.strftime("%H:%M:%S"), "capacity": 0}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "可预约人数不能少于已预约人数" in response.content.decode()
    assert admin_client.post(url, {**data, "capacity": 5}).status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (5, 1)


@pytest.mark.django_db
def test_clerks_manage_the_slots_of_their_own_place_in_the_admin(client, staff_factory):
    keqiao, jiaxing = make_slot(), make_slot(jurisdiction="jx", office="嘉兴市民中心")
    client.force_login(staff_factory("clerk", "sx.kq"))
    listing = client.get(reverse("admin:applications_officeslot_changelist")).content.decode()
    assert "柯桥区行政服务中心户籍窗口" in listing and "嘉兴市民中心" not in listing
    assert client.get(reverse("admin:applications_officeslot_change", args=[keqiao.pk])).status_code == 200
    assert client.get(reverse("admin:applications_officeslot_change", args=[jiaxing.pk])).status_code == 302
    assert client.get(reverse("admin:applications_officeslot_add")).status_code == 200


@pytest.mark.django_db
def test_staff_outside_the_office_roles_do_not_manage_slots(client, staff_factory):
    make_slot()
    client.force_login(staff_factory("finance", "sx.kq"))
    assert client.get(reverse("admin:applications_officeslot_changelist")).status_code == 403
