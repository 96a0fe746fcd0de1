"""python manage.py payment_run --program kq.stipend --period 2026-03 [--chunk-size N] [--enqueue]

Starts (or resumes) the run of one program for one period and executes it here, printing its progress;
with --enqueue a Celery worker executes it instead. Without --period: the last ended period (for a once
program: as of today). Bad input: a clear message and exit status 2, nothing written."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Sum

from subsidies.errors import RunBusyError, SubsidyError
from subsidies.models import PaymentRun
from subsidies.money import yuan
from subsidies.services.runs import payment_run_execute, payment_run_start


class Command(BaseCommand):
    help = "Start or resume a payment run of one program for one period (set-based, idempotent, resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="program code, e.g. kq.stipend")
        parser.add_argument("--period", default="", help="2026-03 (monthly), 2026 (yearly), once; default: last ended")
        parser.add_argument("--chunk-size", type=int, default=None, help="entitlements per committed chunk")
        parser.add_argument("--enqueue", action="store_true", help="let a Celery worker execute it")

    def handle(self, *args, program: str, period: str, chunk_size: int | None, enqueue: bool, **options):
        try:
            run = payment_run_start(program_code=program, period=period or None, chunk_size=chunk_size,
                                    trigger="command")
        except SubsidyError as error:
            raise CommandError(f"{error.field}: {error.message}", returncode=2) from None
        self.stdout.write(f"run #{run.pk} {program} {run.period} (reference date {run.reference_date}, "
                          f"{'resuming from entitlement #' + str(run.cursor) if run.cursor else 'from the start'})")
        if enqueue:
            from subsidies.tasks import payment_run_task

            transaction.on_commit(lambda: payment_run_task.delay(run.pk))
            self.stdout.write("sent to the workers")
            return
        last = {"percent": -1}

        def progress(current: PaymentRun) -> None:
            if current.percent != last["percent"]:
                last["percent"] = current.percent
                self.stdout.write(f"  {current.percent:3d}%  {current.processed}/{current.total} examined, "
                                  f"{current.inserted} payments")

        try:
            run = payment_run_execute(run_id=run.pk, progress=progress)
        except RunBusyError as busy:
            raise CommandError(busy.message, returncode=3) from None
        fen = run.payments.aggregate(fen=Sum("amount_fen"))["fen"] or 0
        self.stdout.write(self.style.SUCCESS(
            f"run #{run.pk} {run.get_status_display()}: {run.inserted} payments, ¥{yuan(fen)}"
        ))
