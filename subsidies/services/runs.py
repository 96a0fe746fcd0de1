"""Payment runs: set-based, idempotent, crash-safe.

A run pays one program for one period. It walks the program's entitlements in id order, ``chunk_size``
at a time; each chunk is ONE ``INSERT … SELECT … ON CONFLICT DO NOTHING`` committed together with the
run's progress (``cursor``), so a run killed at any point is resumed where it stopped and re-running it
adds nothing. The statement pays an entitlement for the period when

- it is in force on the period's reference date (the last day of the month or year; for a once
  program, the day of the run): ``starts_on <= day < stops_on``, which is where stop events act;
- it has not been paid for this period, and has been paid fewer than ``max_periods`` times (the cap);
- 从优、从高、不重复: no other entitlement of the settler in the same family has been paid (one
  program per family), and no other one of that family in force that day pays more (the highest;
  equal amounts: the older entitlement). Programs that stack are in different families.

Two unique constraints hold whatever happens: one payment per entitlement and period, and one per
settler, family and period. A session advisory lock keeps two workers off the same run (PostgreSQL).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from policies.models import SubsidyProgram
from subsidies.errors import RunBusyError, SubsidyError
from subsidies.models import Entitlement, Payment, PaymentRun
from subsidies.periods import ONCE, period_ended, period_parse, period_previous, shanghai_today
from subsidies.services.audit import audit_write

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 10_000
MAX_CHUNK_SIZE = 1_000_000


def _chunk_size_default() -> int:
    return int(getattr(settings, "SUBSIDIES_RUN_CHUNK_SIZE", DEFAULT_CHUNK_SIZE))


def _sql() -> tuple[str, str]:
    q = connection.ops.quote_name
    entitlement, payment = q(Entitlement._meta.db_table), q(Payment._meta.db_table)
    boundary = f"""
        SELECT MAX(chunk.id), COUNT(*) FROM (
            SELECT id FROM {entitlement} WHERE program_id = %s AND id > %s ORDER BY id LIMIT %s
        ) chunk"""
    insert = f"""
        INSERT INTO {payment} (entitlement_id, run_id, period, reference_date, applicant_id, family, amount_fen)
        SELECT e.id, %s, %s, %s, e.applicant_id, e.family, e.amount_fen
        FROM {entitlement} e
        LEFT JOIN (
            SELECT p.entitlement_id, COUNT(*) AS paid, SUM(CASE WHEN p.period = %s THEN 1 ELSE 0 END) AS this_period
            FROM {payment} p
            WHERE p.entitlement_id > %s AND p.entitlement_id <= %s
            GROUP BY p.entitlement_id
        ) done ON done.entitlement_id = e.id
        WHERE e.program_id = %s AND e.id > %s AND e.id <= %s
          AND e.starts_on <= %s AND (e.stops_on IS NULL OR e.stops_on > %s)
          AND COALESCE(done.this_period, 0) = 0
          AND COALESCE(done.paid, 0) < e.max_periods
          AND (NOT e.competes OR (
                NOT EXISTS (
                    SELECT 1 FROM {payment} q
                    WHERE q.applicant_id = e.applicant_id AND q.family = e.family AND q.entitlement_id <> e.id)
                AND NOT EXISTS (
                    SELECT 1 FROM {entitlement} o
                    WHERE o.applicant_id = e.applicant_id AND o.family = e.family AND o.id <> e.id
                      AND o.starts_on <= %s AND (o.stops_on IS NULL OR o.stops_on > %s)
                      AND (o.amount_fen > e.amount_fen OR (o.amount_fen = e.amount_fen AND o.id < e.id)))))
        ON CONFLICT DO NOTHING"""
    return boundary, insert


@contextmanager
def _run_lock(run: PaymentRun) -> Iterator[bool]:
    """A session advisory lock per program and period; released on exit, or by PostgreSQL when the
    process dies (so a killed run can be resumed at once)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = zlib.crc32(f"subsidies.payment_run:{run.program_id}:{run.period}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def payment_run_start(*, program_code: str, period: str | None = None, actor=None, chunk_size: int | None = None,
                      now: datetime | None = None, trigger: str = "admin") -> PaymentRun:
    """The run of this program for this period (default: the last one that has ended, in Shanghai):
    the unfinished one if there is one (it will resume), else a new one. Executes nothing."""
    program = SubsidyProgram.objects.filter(code=(program_code or "").strip()).first()
    if program is None:
        raise SubsidyError("program", f"没有这个补贴项目：{program_code}")
    if not program.active:
        raise SubsidyError("program", f"补贴项目 {program.code} 已停用")
    target = period_parse(program.period, period) if period else period_previous(program.period, now=now)
    if not period_ended(target, now=now):
        raise SubsidyError("period", f"{target.key} 尚未结束（北京时间），期满后才能发放")
    size = chunk_size or _chunk_size_default()
    if not 1 <= size <= MAX_CHUNK_SIZE:
        raise SubsidyError("chunk_size", f"每批条数应在 1 到 {MAX_CHUNK_SIZE} 之间")
    reference = target.reference_date or shanghai_today(now)
    open_runs = PaymentRun.objects.filter(program=program, period=target.key, status__in=PaymentRun.OPEN_STATUSES)
    with transaction.atomic():
        existing = open_runs.select_for_update().first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                run = PaymentRun.objects.create(
                    program=program, period=target.key, reference_date=reference, chunk_size=size,
                    started_by=actor if getattr(actor, "pk", None) else None, trigger=trigger,
                )
        except IntegrityError:  # started elsewhere a moment ago
            return open_runs.get()
        audit_write(
            actor=actor, action="run_start", target=run,
            summary=f"发起发放：{program.code} {target.key}（基准日 {reference:%Y-%m-%d}，来自 {trigger}）",
            data={"program": program.code, "period": target.key, "chunk_size": size},
        )
    return run


def payment_run_execute(*, run_id: int, progress: Callable[[PaymentRun], None] | None = None) -> PaymentRun:
    """Execute (or resume) a run to the end, one committed chunk at a time."""
    run = PaymentRun.objects.select_related("program").filter(pk=run_id).first()
    if run is None:
        raise SubsidyError("run", "没有这次发放")
    if run.status == PaymentRun.Status.COMPLETED:
        return run
    with _run_lock(run) as acquired:
        if not acquired:
            raise RunBusyError(f"发放 #{run.pk}（{run.program.code} {run.period}）正在另一进程中执行")
        with transaction.atomic():
            run = PaymentRun.objects.select_for_update(of=("self",)).select_related("program").get(pk=run_id)
            if run.status == PaymentRun.Status.COMPLETED:
                return run
            resumed = run.attempts > 0
            now = timezone.now()
            run.status, run.attempts, run.error = PaymentRun.Status.RUNNING, run.attempts + 1, ""
            run.started_at, run.heartbeat_at = run.started_at or now, now
            run.total = Entitlement.objects.filter(program_id=run.program_id).count()
            run.save(update_fields=["status", "attempts", "error", "started_at", "heartbeat_at", "total"])
            audit_write(
                actor=None, action="run_resume" if resumed else "run_execute", target=run,
                summary=(f"续跑，自资格 #{run.cursor} 之后" if resumed else "开始执行") + f"（共 {run.total} 条资格）",
            )
        if progress:
            progress(run)
        logged = -1
        try:
            while _run_chunk(run):
                if progress:
                    progress(run)
                if run.percent // 10 > logged:  # the worker's log shows every tenth of the way
                    logged = run.percent // 10
                    logger.info("payment run %s (%s %s): %d%%, %d/%d examined, %d payments", run.pk,
                                run.program.code, run.period, run.percent, run.processed, run.total, run.inserted)
        except Exception as error:
            PaymentRun.objects.filter(pk=run.pk).update(
                status=PaymentRun.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
            )
            logger.exception("payment run %s failed", run.pk)
            raise
        with transaction.atomic():
            run.status, run.finished_at = PaymentRun.Status.COMPLETED, timezone.now()
            run.save(update_fields=["status", "finished_at"])
            audit_write(
                actor=None, action="run_complete", target=run,
                summary=f"发放完成：{run.program.code} {run.period}，新增 {run.inserted} 笔",
                data={"inserted": run.inserted, "processed": run.processed, "chunks": run.chunks},
            )
        if progress:
            progress(run)
    logger.info("payment run %s (%s %s) completed: %d payments", run.pk, run.program.code, run.period, run.inserted)
    return run


def _run_chunk(run: PaymentRun) -> bool:
    """One chunk, committed with the run's progress; False when there is nothing left."""
    boundary, insert = _sql()
    day = run.reference_date
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A chunk's statement runs in milliseconds; its estimated cost would make PostgreSQL spend
                # ~35 ms compiling it (JIT) every chunk, longer than running it.
                cursor.execute("SET LOCAL jit = off")
            cursor.execute(boundary, [run.program_id, run.cursor, run.chunk_size])
            high, examined = cursor.fetchone()
            if high is None:
                return False
            cursor.execute(insert, [
                run.pk, run.period, day,
                run.period, run.cursor, high,
                run.program_id, run.cursor, high,
                day, day,
                day, day,
            ])
            inserted = max(cursor.rowcount, 0)
        now = timezone.now()
        PaymentRun.objects.filter(pk=run.pk).update(
            cursor=high, processed=F("processed") + examined, inserted=F("inserted") + inserted,
            chunks=F("chunks") + 1, heartbeat_at=now,
        )
    run.cursor, run.heartbeat_at = high, now
    run.processed, run.inserted, run.chunks = run.processed + examined, run.inserted + inserted, run.chunks + 1
    logger.debug("payment run %s: %d/%d, %d payments", run.pk, run.processed, run.total, run.inserted)
    return True


def payment_runs_start_due(*, kind: str, now: datetime | None = None, trigger: str = "beat") -> list[PaymentRun]:
    """Beat: the run of the last ended period (or, for once programs, of today) of every active program
    paid by this kind of period."""
    if kind not in SubsidyProgram.Period.values:
        raise SubsidyError("kind", f"未知的发放周期：{kind}")
    runs = []
    for code in SubsidyProgram.objects.filter(active=True, period=kind).order_by("code").values_list("code", flat=True):
        key = None if kind == ONCE else period_previous(kind, now=now).key
        runs.append(payment_run_start(program_code=code, period=key, now=now, trigger=trigger))
    return runs


def stalled_after() -> timedelta:
    """How long an open run may show no progress before it counts as stalled (its worker died): a
    chunk commits every few seconds, so minutes of silence mean nobody is working on it."""
    return timedelta(seconds=int(getattr(settings, "PAYMENT_RUN_STALLED_AFTER_SECONDS", 180)))


def payment_run_is_stalled(run: PaymentRun, *, now: datetime | None = None) -> bool:
    if run.status not in PaymentRun.OPEN_STATUSES:
        return False
    last = run.heartbeat_at or run.created_at
    return last is not None and last < (now or timezone.now()) - stalled_after()


def payment_runs_stalled(*, now: datetime | None = None, quiet_for: timedelta | None = None) -> list[int]:
    """Open runs that have shown no progress for ``quiet_for`` (default: stalled_after()): their worker
    died. The beat job ``subsidies.resume_stalled_runs`` resumes them every minute."""
    before = (now or timezone.now()) - (quiet_for or stalled_after())
    return list(
        PaymentRun.objects.filter(status__in=PaymentRun.OPEN_STATUSES)
        .filter(Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True, created_at__lt=before))
        .values_list("pk", flat=True)
    )
