"""Crash safety with the real components: a Celery worker (own process, real Redis broker, real
PostgreSQL) is killed with SIGKILL in the middle of a payment run; the re-run completes it and every
entitlement ends with exactly one payment for the period. Nobody has to start that re-run: celery beat's
``subsidies.resume_stalled_runs`` job finds the silent run and resumes it."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from hukou.celery import app
from subsidies.models import Payment, PaymentRun
from subsidies.services.runs import payment_run_start
from subsidies.tasks import payment_run_task
from tests.processes import stop_process
from tests.subsidies.factories import LATER, bulk_entitlements

ROWS = 40_000
CHUNK = 50


class Workers:
    """Start real Celery workers on the test database, each on its own queue; kill them at will."""

    def __init__(self, redis_url: str):
        db = connection.settings_dict
        host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        self.env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{host}/{db['NAME']}",
                    "REDIS_URL": redis_url}
        self.started: list[subprocess.Popen] = []

    def start(self, **env: str) -> tuple[subprocess.Popen, str]:
        queue = f"test-{uuid.uuid4().hex[:12]}"
        node = f"{queue}@localhost"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "hukou", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "-Q", queue, "-n", node, "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env={**self.env, **env}, cwd=Path(__file__).resolve().parents[2],
        )
        self.started.append(worker)
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[node], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        return worker, queue

    def start_beat(self, schedule_file: Path) -> subprocess.Popen:
        """celery beat with the project's scheduler (django-celery-beat: the schedules in the database)."""
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "hukou", "beat", "--loglevel", "WARNING", "--pidfile=",
             "--schedule", str(schedule_file), "--max-interval", "1"],
            env=self.env, cwd=Path(__file__).resolve().parents[2],
        )
        self.started.append(beat)
        return beat

    def stop_all(self) -> None:
        for process in self.started:
            stop_process(process)


@pytest.fixture
def workers(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: a real broker")
    pool = Workers(settings.REDIS_URL)
    yield pool
    pool.stop_all()


def _wait_for(condition, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _run(run_id: int) -> PaymentRun:
    return PaymentRun.objects.get(pk=run_id)


def _kill_mid_run(workers: Workers, run: PaymentRun) -> PaymentRun:
    """A worker starts the run and is SIGKILLed after ten chunks; the run as the kill left it."""
    worker, queue = workers.start()
    payment_run_task.apply_async(args=[run.pk], queue=queue)
    _wait_for(lambda: _run(run.pk).processed >= 10 * CHUNK, "the worker made no progress")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    killed = _run(run.pk)
    assert killed.status == "running", "the run finished before the kill: make it bigger"
    assert 0 < killed.inserted < ROWS
    return killed


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_run_then_a_rerun_pays_every_entitlement_exactly_once(workers):
    bulk_entitlements(rows=ROWS, prefix="kill")
    run = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER, chunk_size=CHUNK)

    killed = _kill_mid_run(workers, run)
    assert Payment.objects.filter(period="2026-03").count() == killed.inserted  # chunk and progress commit together

    second, queue = workers.start()
    rerun = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER)
    assert rerun.pk == run.pk  # the unfinished run is resumed from its cursor
    payment_run_task.apply_async(args=[rerun.pk], queue=queue)
    _wait_for(lambda: _run(run.pk).status == "completed", "the re-run did not complete")

    done = _run(run.pk)
    assert (done.processed, done.inserted, done.attempts) == (ROWS, ROWS, 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(DISTINCT p.entitlement_id), "
            "       (SELECT COUNT(*) FROM subsidies_entitlement e WHERE NOT EXISTS ("
            "            SELECT 1 FROM subsidies_payment q WHERE q.entitlement_id = e.id AND q.period = '2026-03')) "
            "FROM subsidies_payment p WHERE p.period = '2026-03'"
        )
        payments, entitlements_paid, unpaid = cursor.fetchone()
    assert (payments, entitlements_paid, unpaid) == (ROWS, ROWS, 0)

    again = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER)
    payment_run_task.apply_async(args=[again.pk], queue=queue)
    _wait_for(lambda: _run(again.pk).status == "completed", "the second re-run did not complete")
    assert _run(again.pk).inserted == 0
    assert Payment.objects.count() == ROWS


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_run_is_resumed_by_the_beat_schedule_alone(workers, tmp_path):
    """No hand, no daily sweep: the killed worker's message sits unacknowledged on its own queue (the
    broker would redeliver it after an hour); the only thing that reaches the new worker's queue is the
    beat job ``subsidies.resume_stalled_runs``, as scheduled by the migration (its interval shortened
    here, and the stall threshold set to 2 s, so the test takes seconds instead of minutes)."""
    bulk_entitlements(rows=ROWS, prefix="beat")
    run = payment_run_start(program_code="kq.stipend", period="2026-03", now=LATER, chunk_size=CHUNK)
    _kill_mid_run(workers, run)

    second, queue = workers.start(PAYMENT_RUN_STALLED_AFTER_SECONDS="2")
    job = PeriodicTask.objects.get(task="subsidies.resume_stalled_runs")
    assert job.enabled and (job.interval.every, job.interval.period) == (1, "minutes")  # as deployed
    PeriodicTask.objects.exclude(pk=job.pk).update(enabled=False)
    job.interval, job.queue = IntervalSchedule.objects.create(every=2, period="seconds"), queue
    job.save()
    workers.start_beat(tmp_path / "beat-schedule")

    _wait_for(lambda: _run(run.pk).status == "completed", "beat did not resume the stalled run", seconds=180)
    done = _run(run.pk)
    assert (done.processed, done.inserted, done.attempts) == (ROWS, ROWS, 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(DISTINCT entitlement_id) FROM subsidies_payment WHERE period = '2026-03'"
        )
        assert cursor.fetchone() == (ROWS, ROWS)
    assert second.poll() is None
