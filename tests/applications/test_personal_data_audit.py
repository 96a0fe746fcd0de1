"""个人信息访问留痕: every staff view of personal data leaves a hash-chained row that nobody can edit;
``audit_verify`` names the first broken link; rows are kept at least six months."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from applications.models import PersonalDataAccess, PersonalDataAuditHead
from applications.services import personal_data
from applications.services.personal_data import (
    Kind,
    months_before,
    personal_data_access_record,
    personal_data_audit_purge,
    personal_data_audit_verify,
)
from tests.applications.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_request(user=None, address="10.1.2.3", **meta):
    request = RequestFactory().get("/admin/", REMOTE_ADDR=address, **meta)
    request.user = user or UserFactory(is_staff=True)
    return request


def verify_output() -> str:
    try:
        call_command("audit_verify", stdout=(out := __import__("io").StringIO()))
    except CommandError as error:
        assert error.returncode == 1
        return f"BROKEN {error}"
    return out.getvalue()


def record(n: int, user=None, applicant=None) -> list[PersonalDataAccess]:
    applicant = applicant or ApplicantFactory()
    request = staff_request(user)
    return [personal_data_access_record(request=request, applicant=applicant, kind=Kind.CASE_PAGE, obj=applicant,
                                        detail=f"view {i}") for i in range(n)]


def test_a_row_says_who_when_whom_what_and_from_where():
    clerk, person = UserFactory(is_staff=True, username="kq_clerk"), ApplicantFactory()
    before = timezone.now()

    row = personal_data_access_record(request=staff_request(clerk), applicant=person, kind=Kind.MATERIAL_FILE,
                                      obj=person, detail="身份证")

    assert (row.user, row.username, row.applicant, row.kind, row.client_address) == (
        clerk, "kq_clerk", person, "material_file", "10.1.2.3")
    assert (row.object_type, row.object_id, row.detail) == ("applications.applicant", str(person.pk), "身份证")
    assert before <= row.at <= timezone.now()
    assert row.prev_hash == "" and len(row.hash) == 64


def test_the_address_is_the_peer_not_a_forwarded_header():
    row = personal_data_access_record(
        request=staff_request(address="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.99"),
        applicant=ApplicantFactory(), kind=Kind.CASE_PAGE,
    )
    assert row.client_address == "192.0.2.7"


def test_applicants_looking_at_their_own_data_are_not_recorded():
    person = ApplicantFactory()
    request = staff_request(person.user)
    request.user.is_staff = False

    assert personal_data_access_record(request=request, applicant=person, kind=Kind.CASE_PAGE) is None
    assert not PersonalDataAccess.objects.exists()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        personal_data_access_record(request=staff_request(), applicant=None, kind="peek")
    with pytest.raises(ValueError):
        personal_data_access_record(request=staff_request(), applicant=None, kind=Kind.PURGE)


def test_rows_are_chained_and_the_chain_verifies():
    rows = record(4)

    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert PersonalDataAuditHead.objects.get().last_hash == rows[-1].hash
    assert "intact: 4 rows" in verify_output()


def test_the_database_refuses_to_edit_or_delete_a_row():
    row = record(1)[0]

    for attempt in (
        lambda: PersonalDataAccess.objects.filter(pk=row.pk).update(detail="nothing to see"),
        lambda: PersonalDataAccess.objects.filter(pk=row.pk).delete(),
        lambda: PersonalDataAuditHead.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only|cannot be deleted"), transaction.atomic():
            attempt()
    assert PersonalDataAccess.objects.get(pk=row.pk).detail == "view 0"


def _bypass_the_trigger(sql: str, params: list) -> None:
    """What someone with direct database access could do (and audit_verify must catch)."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers off, as a superuser may
        cursor.execute(sql, params)
        cursor.execute("SET session_replication_role = DEFAULT")


def test_a_row_changed_in_sql_is_named_by_audit_verify():
    rows = record(5)

    _bypass_the_trigger("UPDATE applications_personaldataaccess SET username = 'someone_else' WHERE id = %s",
                        [rows[2].pk])

    output = verify_output()
    assert output.startswith("BROKEN") and f"row #{rows[2].pk}" in output and "changed" in output
    report = personal_data_audit_verify()
    assert (report.intact, report.broken_id, report.rows) == (False, rows[2].pk, 2)


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link():
    rows = record(4)
    forged = rows[1]
    forged.detail = "forged"
    new_hash = personal_data._hash_of(forged)

    _bypass_the_trigger("UPDATE applications_personaldataaccess SET detail = 'forged', hash = %s WHERE id = %s",
                        [new_hash, forged.pk])

    assert personal_data_audit_verify().broken_id == rows[2].pk


def test_a_row_deleted_in_the_middle_or_at_the_end_is_noticed():
    rows = record(5)

    _bypass_the_trigger("DELETE FROM applications_personaldataaccess WHERE id = %s", [rows[4].pk])
    report = personal_data_audit_verify()
    assert not report.intact and f"after #{rows[3].pk}" in report.reason

    _bypass_the_trigger("DELETE FROM applications_personaldataaccess WHERE id = %s", [rows[1].pk])
    assert personal_data_audit_verify().broken_id == rows[2].pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_writers_keep_one_chain():
    applicant = ApplicantFactory()
    users = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    start = threading.Barrier(2)
    errors = []

    def writer(user):
        try:
            start.wait()
            record(15, user=user, applicant=applicant)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    rows = list(PersonalDataAccess.objects.order_by("id"))
    assert len(rows) == 30 and {row.user_id for row in rows} == {u.pk for u in users}
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    assert personal_data_audit_verify().intact


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_writer_waits_for_the_first_to_commit():
    applicant = ApplicantFactory()
    first_in, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def slow_first():
        try:
            with transaction.atomic():
                record(1, applicant=applicant)
                first_in.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            first_in.wait(10)
            record(1, applicant=applicant)
            second_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=slow_first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_in.wait(10)
    assert not second_done.wait(1.0), "the second writer did not wait for the chain head"
    release.set()
    for thread in threads:
        thread.join(20)
    assert second_done.is_set() and personal_data_audit_verify().intact


# --- retention -----------------------------------------------------------------------------------------

def test_retention_is_at_least_six_months(settings):
    settings.PERSONAL_DATA_AUDIT_RETENTION_MONTHS = 5
    with pytest.raises(ValueError):
        personal_data_audit_purge()


def test_the_settings_refuse_a_retention_under_six_months():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PERSONAL_DATA_AUDIT_RETENTION_MONTHS": "3", "SECRET_KEY": "x"}
    result = subprocess.run([sys.executable, "-c", "import django, os; os.environ.setdefault("
                             "'DJANGO_SETTINGS_MODULE', 'hukou.settings'); django.setup()"],
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "PERSONAL_DATA_AUDIT_RETENTION_MONTHS" in result.stderr


def test_months_before_keeps_the_wall_clock_and_clamps_the_day():
    moment = timezone.localtime(timezone.now()).replace(year=2026, month=8, day=31, hour=9)
    assert months_before(moment, 6).date().isoformat() == "2026-02-28"
    assert months_before(moment, 6).hour == 9


def test_the_purge_deletes_only_old_rows_and_the_chain_still_verifies(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(personal_data.timezone, "now", lambda: now - timedelta(days=220))
    old = record(3)
    monkeypatch.setattr(personal_data.timezone, "now", lambda: now - timedelta(days=100))
    recent = record(2)
    monkeypatch.setattr(personal_data.timezone, "now", lambda: now)

    assert personal_data_audit_purge() == 3
    assert personal_data_audit_purge() == 0  # re-running changes nothing

    kept = list(PersonalDataAccess.objects.order_by("id"))
    assert [row.pk for row in kept[:2]] == [row.pk for row in recent]
    assert kept[-1].kind == Kind.PURGE and "3 rows" in kept[-1].detail and kept[-1].user is None
    assert PersonalDataAuditHead.objects.get().anchor_hash == old[-1].hash
    assert "intact: 3 rows" in verify_output()


def test_the_database_refuses_a_purge_of_recent_rows_even_when_asked():
    row = record(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('hukou.audit_purge_before', %s, true)",
                           [(timezone.now() + timedelta(days=1)).isoformat()])
        PersonalDataAccess.objects.filter(pk=row.pk).delete()
    assert PersonalDataAccess.objects.filter(pk=row.pk).exists()


def test_the_purge_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="applications.personal_data_audit_purge")
    assert task.enabled and (task.crontab.hour, task.crontab.day_of_month) == ("3", "*")


def test_the_view_decorator_records_successful_answers_to_staff_only():
    from django.http import HttpResponse

    from applications.services.personal_data import personal_data_view

    person = ApplicantFactory()

    @personal_data_view(Kind.EXPORT, detail="公示名单")
    def export(request, status=200):
        return HttpResponse("rows", status=status)

    @personal_data_view(Kind.RECORD_PAGE, applicant=lambda request, pk: pk)
    def page(request, pk):
        return HttpResponse("person")

    staff_user = UserFactory(is_staff=True)
    export(staff_request(staff_user))
    export(staff_request(staff_user), status=403)
    page(staff_request(staff_user), pk=person.pk)
    applicant_request = staff_request(person.user)
    export(applicant_request)

    assert list(PersonalDataAccess.objects.order_by("id").values_list("kind", "applicant_id", "detail")) == [
        (Kind.EXPORT, None, "公示名单"), (Kind.RECORD_PAGE, person.pk, "/admin/")]
