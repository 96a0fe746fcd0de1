"""How a payment run works: set-based chunks committed with their progress, resumable after a crash,
one worker at a time, started by the command or the beat for periods that have ended in Shanghai."""

from datetime import UTC, date, datetime
from io import StringIO
from unittest import mock

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subsidies.errors import RunBusyError, SubsidyError
from subsidies.models import AuditEntry, Payment, PaymentRun
from subsidies.periods import SHANGHAI, period_parse, period_previous
from subsidies.services import runs
from subsidies.services.runs import payment_run_execute, payment_run_start, payment_runs_start_due
from tests.subsidies.factories import LATER, bulk_entitlements, pay

pytestmark = pytest.mark.django_db


def test_a_run_walks_the_entitlements_in_committed_chunks_and_reports_its_progress():
    bulk_entitlements(rows=250)
    run = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER, chunk_size=100)
    seen = []

    with CaptureQueriesContext(connection) as queries:
        run = payment_run_execute(run_id=run.pk, progress=lambda r: seen.append((r.processed, r.inserted)))

    assert (run.status, run.total, run.processed, run.inserted, run.chunks, run.percent) == (
        "completed", 250, 250, 250, 3, 100)
    assert seen[0] == (0, 0) and seen[1:4] == [(100, 100), (200, 200), (250, 250)]
    inserts = [q["sql"] for q in queries.captured_queries
               if q["sql"].lstrip().startswith('INSERT INTO "subsidies_payment"')]
    assert len(inserts) == 3  # one statement per chunk, whatever the number of entitlements
    assert Payment.objects.filter(period="2026-03").count() == 250
    assert set(Payment.objects.values_list("amount_fen", flat=True)) == {50_000}


def test_a_run_that_crashes_mid_way_is_resumed_from_its_cursor_and_pays_each_entitlement_once():
    bulk_entitlements(rows=250)
    run = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER, chunk_size=100)
    real_chunk, calls = runs._run_chunk, []

    def crash_on_the_third_chunk(current):
        calls.append(1)
        if len(calls) == 3:
            raise ConnectionError("the worker died")
        return real_chunk(current)

    with mock.patch.object(runs, "_run_chunk", crash_on_the_third_chunk), pytest.raises(ConnectionError):
        payment_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.processed, run.inserted) == ("failed", 200, 200)

    PaymentRun.objects.filter(pk=run.pk).update(status="running")  # as a killed worker leaves it
    resumed = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER)
    assert resumed.pk == run.pk
    resumed = payment_run_execute(run_id=resumed.pk)

    assert (resumed.status, resumed.processed, resumed.inserted, resumed.attempts) == ("completed", 250, 250, 2)
    assert Payment.objects.filter(period="2026-03").count() == 250
    assert AuditEntry.objects.filter(action="run_resume", target_id=run.pk).exists()


def test_a_run_held_by_another_worker_is_not_executed_twice():
    bulk_entitlements(rows=10)
    run = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER)
    key = runs.zlib.crc32(f"subsidies.payment_run:{run.program_id}:{run.period}".encode())
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "localhost", port=db["PORT"] or 5432, user=db["USER"] or "postgres",
                         dbname=db["NAME"], autocommit=True) as other_worker:
        other_worker.execute("SELECT pg_advisory_lock(%s)", [key])
        with pytest.raises(RunBusyError):
            payment_run_execute(run_id=run.pk)
    assert payment_run_execute(run_id=run.pk).inserted == 10  # the other one went away: the lock went with it


def test_a_completed_run_executed_again_does_nothing():
    bulk_entitlements(rows=5)
    run = pay("kq.stipend", "2026-03")

    assert payment_run_execute(run_id=run.pk).inserted == 5
    assert Payment.objects.count() == 5


@pytest.mark.parametrize("program, period, field", [
    ("kq.nothing", "2026-03", "program"),
    ("kq.stipend", "2026-3", "period"),
    ("kq.stipend", "2026-13", "period"),
    ("kq.stipend", "2026", "period"),        # a monthly program is paid by the month
    ("kq.anxin", "2026-03", "period"),       # a yearly one by the year
    ("kq.reward_settler", "2026", "period"),  # a once one has one period
    ("kq.stipend", "2031-06", "period"),     # not ended yet
])
def test_bad_run_requests_are_refused_clearly_and_change_nothing(program, period, field):
    with pytest.raises(SubsidyError) as refused:
        payment_run_start(program_code=program, period=period, now=LATER)

    assert refused.value.field == field and refused.value.message
    assert not PaymentRun.objects.exists()


@pytest.mark.parametrize("key, first, last", [
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_month_edges(key, first, last):
    period = period_parse("month", key)
    assert (period.first_day, period.last_day, period.reference_date) == (first, last, last)


def test_month_edge_the_beat_pays_the_month_that_has_just_ended_in_shanghai():
    # 2026-04-01 00:30 in Shanghai is still 31 March in UTC
    just_after = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    assert period_previous("month", now=just_after).key == "2026-03"
    assert period_previous("month", now=datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI)).key == "2026-03"
    assert period_previous("month", now=datetime(2026, 3, 31, 23, 59, tzinfo=SHANGHAI)).key == "2026-02"
    assert period_previous("month", now=datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI)).key == "2026-12"
    assert period_previous("year", now=datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI)).key == "2026"
    assert period_previous("year", now=datetime(2026, 12, 31, 23, 55, tzinfo=SHANGHAI)).key == "2025"


def test_month_edge_a_month_can_be_run_from_midnight_shanghai_time():
    with pytest.raises(SubsidyError):
        payment_run_start(program_code="kq.stipend", period="2026-03",
                          now=datetime(2026, 3, 31, 23, 59, 59, tzinfo=SHANGHAI))
    run = payment_run_start(program_code="kq.stipend", period="2026-03",
                            now=datetime(2026, 4, 1, 0, 0, tzinfo=SHANGHAI))
    assert run.reference_date == date(2026, 3, 31)


def test_the_beat_starts_every_active_program_of_the_kind_for_the_last_period():
    started = payment_runs_start_due(kind="month", now=datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI))
    assert [(r.program.code, r.period, r.trigger) for r in started] == [("kq.stipend", "2026-03", "beat")]
    yearly = payment_runs_start_due(kind="year", now=datetime(2027, 1, 1, 2, 30, tzinfo=SHANGHAI))
    assert [(r.program.code, r.period) for r in yearly] == [("kq.anxin", "2026")]
    daily = payment_runs_start_due(kind="once", now=datetime(2026, 4, 2, 4, 0, tzinfo=SHANGHAI))
    assert {(r.program.code, r.period, r.reference_date) for r in daily} == {
        ("kq.reward_employer", "once", date(2026, 4, 2)), ("kq.reward_settler", "once", date(2026, 4, 2))}


def test_the_command_runs_a_period_and_prints_its_progress():
    bulk_entitlements(rows=30)
    out = StringIO()

    call_command("payment_run", "--program", "kq.stipend", "--period", "2026-03", "--chunk-size", "10", stdout=out)
    call_command("payment_run", "--program", "kq.stipend", "--period", "2026-03", stdout=out)

    text = out.getvalue()
    assert "33%" in text and "100%" in text
    assert "30 payments, ¥15,000.00" in text and "0 payments, ¥0.00" in text
    assert Payment.objects.count() == 30


@pytest.mark.parametrize("args", [
    ["--program", "kq.stipend", "--period", "2026/03"],
    ["--program", "nope", "--period", "2026-03"],
])
def test_the_command_refuses_bad_input_with_status_2(args):
    with pytest.raises(CommandError) as refused:
        call_command("payment_run", *args, stdout=StringIO())
    assert refused.value.returncode == 2
    assert not PaymentRun.objects.exists()
