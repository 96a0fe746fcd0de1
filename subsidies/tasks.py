"""Celery tasks (thin): beat starts the runs, a worker executes each; the services do the work."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task

from hukou.queueing import enqueue_on_commit
from subsidies.errors import RunBusyError
from subsidies.periods import MONTH, ONCE, YEAR, shanghai_today
from subsidies.services.intake import registrations_intake_backfill
from subsidies.services.recovery import commitments_check, payments_recovery_check
from subsidies.services.runs import payment_run_execute, payment_runs_stalled, payment_runs_start_due

logger = logging.getLogger(__name__)


@shared_task(name="subsidies.payment_run", acks_late=True)
def payment_run_task(run_id: int) -> dict:
    """Execute or resume one run. A redelivered message of a finished run does nothing."""
    try:
        run = payment_run_execute(run_id=run_id)
    except RunBusyError as busy:
        logger.info("%s", busy.message)
        return {"run": run_id, "status": "busy"}
    return {"run": run.pk, "status": run.status, "inserted": run.inserted}


def _enqueue(run_ids: list[int], *, queue: str | None = None) -> list[int]:
    for run_id in run_ids:
        enqueue_on_commit(payment_run_task, args=[run_id], queue=queue)
    return run_ids


@shared_task(name="subsidies.resume_stalled_runs", bind=True)
def resume_stalled_runs_task(self) -> list[int]:
    """Beat, every minute: resume each open run whose heartbeat is older than
    PAYMENT_RUN_STALLED_AFTER_SECONDS (its worker was killed). The runs go to the queue this job came
    from, so the workers that serve the scheduler's jobs pick them up; the run's advisory lock keeps a
    resumed run from being executed twice."""
    queue = (self.request.delivery_info or {}).get("routing_key")
    stalled = payment_runs_stalled()
    if stalled:
        logger.warning("resuming stalled payment runs %s", stalled)
    return _enqueue(stalled, queue=queue)


@shared_task(name="subsidies.monthly_payment_runs")
def monthly_payment_runs_task() -> list[int]:
    """Beat, 1st of the month: every monthly program for the month that has just ended."""
    return _enqueue([run.pk for run in payment_runs_start_due(kind=MONTH)])


@shared_task(name="subsidies.yearly_payment_runs")
def yearly_payment_runs_task() -> list[int]:
    """Beat, 1 January: every yearly program (安心补贴) for the year that has just ended."""
    return _enqueue([run.pk for run in payment_runs_start_due(kind=YEAR)])


@shared_task(name="subsidies.daily_jobs")
def daily_jobs_task() -> dict:
    """Beat, daily: rewards (once programs) as of today, the 5-year commitments, recoveries, missed
    registrations, and any run whose worker died."""
    today = shanghai_today()
    taken_in = registrations_intake_backfill(since=today - timedelta(days=60), today=today)
    commitments = commitments_check(today=today)
    flagged = payments_recovery_check()
    runs = [run.pk for run in payment_runs_start_due(kind=ONCE)]
    stalled = [pk for pk in payment_runs_stalled() if pk not in runs]
    _enqueue(runs + stalled)
    return {"taken_in": taken_in, "commitments": commitments, "flagged": flagged, "runs": runs, "resumed": stalled}
