"""Celery beat: monthly, yearly and daily schedules seeded by a data migration; the tasks start the runs
of the period that has just ended (Asia/Shanghai) and a worker executes each; the daily job also pays
the rewards, checks the 5-year commitments and recoveries, and resumes runs whose worker died."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django_celery_beat.models import PeriodicTask

from subsidies.models import Commitment, Entitlement, Payment, PaymentRun
from subsidies.periods import SHANGHAI
from subsidies.services.employers import commitment_employer_set
from subsidies.services.recovery import payments_recovery_check
from subsidies.services.runs import payment_run_start
from subsidies.tasks import daily_jobs_task, monthly_payment_runs_task, payment_run_task, yearly_payment_runs_task
from tests.subsidies.factories import EMPLOYED_GRADUATE, LOCAL_STUDENT, credit_code, pay, record, settle

pytestmark = pytest.mark.django_db


def _at(moment: datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_schedules_are_seeded_in_beat():
    tasks = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="subsidies.")}

    assert set(tasks) == {"subsidies.monthly_payment_runs", "subsidies.yearly_payment_runs", "subsidies.daily_jobs",
                          "subsidies.resume_stalled_runs"}
    resume = tasks["subsidies.resume_stalled_runs"].interval
    assert (resume.every, resume.period) == (1, "minutes")  # a stalled run waits at most a minute more
    monthly, yearly, daily = (tasks[f"subsidies.{n}"].crontab for n in ("monthly_payment_runs", "yearly_payment_runs",
                                                                          "daily_jobs"))
    assert (monthly.day_of_month, monthly.month_of_year) == ("1", "*")
    assert (yearly.day_of_month, yearly.month_of_year) == ("1", "1")
    assert (daily.day_of_month, daily.hour) == ("*", "4")
    assert {str(c.timezone) for c in (monthly, yearly, daily)} == {"Asia/Shanghai"}
    assert all(t.enabled for t in tasks.values())


def test_the_monthly_task_pays_the_month_just_ended(eager_celery, django_capture_on_commit_callbacks):
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    record(registration.application.applicant, "graduated", date(2026, 3, 2))

    with _at(datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI)), django_capture_on_commit_callbacks(execute=True):
        run_ids = monthly_payment_runs_task()

    run = PaymentRun.objects.get(pk__in=run_ids)
    assert (run.program.code, run.period, run.status, run.inserted) == ("kq.stipend", "2026-03", "completed", 1)


def test_the_yearly_task_pays_the_year_just_ended(eager_celery, django_capture_on_commit_callbacks):
    settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))

    with _at(datetime(2027, 1, 1, 2, 30, tzinfo=SHANGHAI)), django_capture_on_commit_callbacks(execute=True):
        run_ids = yearly_payment_runs_task()

    run = PaymentRun.objects.get(pk__in=run_ids)
    assert (run.program.code, run.period, run.inserted) == ("kq.anxin", "2026", 1)


def test_the_daily_job_pays_rewards_and_resumes_a_run_whose_worker_died(eager_celery, finance,
                                                                         django_capture_on_commit_callbacks):
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))
    commitment = Commitment.objects.get(registration=registration)
    commitment_employer_set(commitment_id=commitment.pk, uscc=credit_code(2), name="某公司", actor=finance)
    dead = payment_run_start(program_code="kq.anxin", period="2026", now=datetime(2027, 1, 1, tzinfo=SHANGHAI))
    PaymentRun.objects.filter(pk=dead.pk).update(status="running", created_at=datetime(2027, 1, 1, tzinfo=SHANGHAI),
                                                 heartbeat_at=datetime(2027, 1, 1, 2, tzinfo=SHANGHAI))

    with _at(datetime(2027, 1, 2, 4, 0, tzinfo=SHANGHAI)), django_capture_on_commit_callbacks(execute=True):
        summary = daily_jobs_task()

    assert summary["resumed"] == [dead.pk]
    assert PaymentRun.objects.get(pk=dead.pk).status == "completed"
    paid = set(Payment.objects.values_list("entitlement__program__code", "period"))
    assert paid == {("kq.reward_settler", "once"), ("kq.reward_employer", "once"), ("kq.anxin", "2026")}


def test_a_redelivered_task_of_a_finished_run_does_nothing():
    settle(facts=EMPLOYED_GRADUATE)
    run = pay("kq.anxin", "2026")

    assert payment_run_task.run(run.pk) == {"run": run.pk, "status": "completed", "inserted": 1}
    assert Payment.objects.count() == 1


def test_the_daily_recovery_check_catches_a_stop_recorded_while_a_run_was_computing():
    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    record(registration.application.applicant, "graduated", date(2026, 3, 2))
    pay("kq.stipend", "2026-03")
    # a stop committed between the run's snapshot and its commit: the payment exists, the window moved
    Entitlement.objects.filter(program__code="kq.stipend").update(stops_on=date(2026, 3, 15))

    assert payments_recovery_check() == 1
    assert Payment.objects.get().recovery_status == "due"
    assert payments_recovery_check() == 0


def test_the_daily_job_marks_commitments_kept_after_five_years(eager_celery, django_capture_on_commit_callbacks):
    registration = settle(facts=EMPLOYED_GRADUATE, registered_on=date(2026, 3, 2))

    with _at(datetime(2031, 3, 2, 4, 0, tzinfo=SHANGHAI) - timedelta(days=1)), \
            django_capture_on_commit_callbacks(execute=True):
        daily_jobs_task()
    assert Commitment.objects.get(registration=registration).status == "in_force"
    with _at(datetime(2031, 3, 2, 4, 0, tzinfo=SHANGHAI)), django_capture_on_commit_callbacks(execute=True):
        summary = daily_jobs_task()
    assert summary["commitments"]["kept"] == 1
    assert Commitment.objects.get(registration=registration).status == "kept"
