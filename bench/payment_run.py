"""Monthly payment run at a million entitlements: ``python bench/payment_run.py [--rows 1000000] [--regenerate]
[--chunk-size N] [--repeat N] [--explain]``.

Sets Django up itself (DJANGO_SETTINGS_MODULE defaults to hukou.settings) against DATABASE_URL, which must
be a migrated PostgreSQL database of its own, e.g.::

    psql -h localhost -U postgres -c 'create database hukou_bench_pay'
    DEBUG=0 SECRET_KEY=test DATABASE_URL=postgres://postgres@localhost:5432/hukou_bench_pay \\
        .venv/bin/python manage.py migrate
    DEBUG=0 SECRET_KEY=test DATABASE_URL=postgres://postgres@localhost:5432/hukou_bench_pay \\
        .venv/bin/python bench/payment_run.py

1. Generates ``--rows`` settled people (login account, applicant, registered kq.local_student case,
   registration) each holding one kq.stipend entitlement in force since 2026-01-01, by a few
   ``INSERT … SELECT generate_series`` statements; marked (usernames ``bench-p-…``, a row in
   ``bench_payment_marker``) and reused by the next run unless ``--regenerate`` or another ``--rows``.
2. For each of ``--repeat`` rounds, from an empty payment table after a CHECKPOINT:
   - bare: ONE ``INSERT … SELECT … ON CONFLICT DO NOTHING`` writing exactly the rows the run writes
     (same table, same indexes and constraints, same columns and values), no checks at all;
   - run: ``payment_run_start`` + ``payment_run_execute`` of kq.stipend for 2026-03 (the real thing:
     chunks of ``--chunk-size`` committed with their progress, the cap, the period, 从优从高不重复);
   - rerun: the same again (a new run: every entitlement is examined, nothing is added).
3. Prints the medians and, last, ``run/bare = R; rerun/bare = S``. Budget: R ≤ 2, S ≤ 0.5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou.settings")
os.environ.setdefault("SECRET_KEY", "bench-payment-run-only")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from policies.models import SubsidyProgram  # noqa: E402
from subsidies.models import Entitlement, Payment, PaymentRun  # noqa: E402
from subsidies.periods import SHANGHAI, period_parse  # noqa: E402
from subsidies.services.runs import DEFAULT_CHUNK_SIZE, _sql, payment_run_execute, payment_run_start  # noqa: E402

PREFIX = "bench-p"
MARKER_TABLE = "bench_payment_marker"
PROGRAM = "kq.stipend"
PERIOD = "2026-03"
IN_FORCE_FROM = date(2026, 1, 1)
NOW = datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI)  # when the monthly beat would start it


def _execute(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall() if cursor.description else cursor.rowcount


def _generated_rows() -> int | None:
    exists = _execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE])[0][0]
    return _execute(f"SELECT rows FROM {MARKER_TABLE}")[0][0] if exists else None


def _clear_payments() -> None:
    _execute(f"TRUNCATE {Payment._meta.db_table}")
    _execute("DELETE FROM subsidies_auditentry WHERE target_type = 'paymentrun'")
    _execute(f"DELETE FROM {PaymentRun._meta.db_table}")


def _generate(rows: int) -> None:
    """Drop earlier generated rows, then write ``rows`` settlers with one stipend entitlement each."""
    started = time.perf_counter()
    print(f"generating {rows:,} settlers with a {PROGRAM} entitlement …", flush=True)
    _clear_payments()
    like = f"{PREFIX}-%"
    _execute("DELETE FROM subsidies_historicalentitlement")
    _execute("DELETE FROM subsidies_entitlement")
    _execute("DELETE FROM applications_registration r USING applications_application a "
             "WHERE a.id = r.application_id AND a.case_number LIKE %s", [like])
    _execute("DELETE FROM applications_application WHERE case_number LIKE %s", [like])
    _execute("DELETE FROM applications_applicant p USING auth_user u WHERE u.id = p.user_id AND u.username LIKE %s",
             [like])
    _execute("DELETE FROM auth_user WHERE username LIKE %s", [like])
    program = SubsidyProgram.objects.get(code=PROGRAM)
    route_id = _execute("SELECT id FROM policies_settlementroute WHERE code = 'kq.local_student'")[0][0]
    jurisdiction_id = _execute("SELECT id FROM policies_jurisdiction WHERE code = 'sx.kq'")[0][0]
    registrar = f"{PREFIX}-registrar"
    _execute("INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, first_name, last_name, "
             "email, date_joined) VALUES (%s, '!', false, true, true, '', '', '', now())", [registrar])
    _execute("INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, first_name, last_name, "
             "email, date_joined) SELECT %s || '-' || g, '!', false, false, true, '', '', '', now() "
             "FROM generate_series(1, %s) g", [PREFIX, rows])
    _execute("INSERT INTO applications_applicant (user_id, real_name, id_number, phone, created_at) "
             "SELECT u.id, '测试', lpad(md5(u.username), 18, '0'), '13800000000', now() FROM auth_user u "
             "WHERE u.username LIKE %s AND u.username <> %s", [like, registrar])
    _execute("INSERT INTO applications_application (case_number, applicant_id, route_id, jurisdiction_id, facts, "
             "state, version, created_at, updated_at, decision_reason, decision_condition) "
             "SELECT %s || '-' || a.id, a.id, %s, %s, '{}'::jsonb, 'registered', 1, now(), now(), '', '' "
             "FROM applications_applicant a JOIN auth_user u ON u.id = a.user_id WHERE u.username LIKE %s "
             "ORDER BY a.id", [PREFIX, route_id, jurisdiction_id, like])
    _execute("INSERT INTO applications_registration (application_id, registered_on, address_type, address, "
             "registrar_id, created_at) SELECT a.id, %s, 'school_collective', '柯桥区某高校集体户', "
             "(SELECT id FROM auth_user WHERE username = %s), now() FROM applications_application a "
             "WHERE a.case_number LIKE %s ORDER BY a.id", [IN_FORCE_FROM, registrar, like])
    _execute(f"INSERT INTO {Entitlement._meta.db_table} (program_id, applicant_id, registration_id, beneficiary, "
             "family, period_kind, amount_fen, max_periods, starts_on, stop_reason, competes, created_at, basis) "
             "SELECT %s, a.applicant_id, r.id, %s, %s, %s, %s, %s, %s, '', false, now(), '[]'::jsonb "
             "FROM applications_registration r JOIN applications_application a ON a.id = r.application_id "
             "WHERE a.case_number LIKE %s ORDER BY r.id",
             [program.pk, program.beneficiary, program.family, program.period, program.amount_fen,
              program.max_periods, IN_FORCE_FROM, like])
    _execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
    _execute(f"CREATE TABLE {MARKER_TABLE} (rows bigint)")
    _execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s)", [rows])
    for table in ("auth_user", "applications_applicant", "applications_application", "applications_registration",
                  Entitlement._meta.db_table):
        _execute(f"VACUUM ANALYZE {table}")
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def _fresh_start() -> None:
    _clear_payments()
    _execute(f"VACUUM ANALYZE {Payment._meta.db_table}")
    _execute("CHECKPOINT")


def _bare(program: SubsidyProgram) -> tuple[float, int]:
    """The floor: one statement inserting the very rows the run inserts, with no check at all."""
    period = period_parse(program.period, PERIOD)
    run = PaymentRun.objects.create(program=program, period=PERIOD, reference_date=period.reference_date,
                                    chunk_size=1, status=PaymentRun.Status.COMPLETED, trigger="bench")
    started = time.perf_counter()
    inserted = _execute(
        f"INSERT INTO {Payment._meta.db_table} (entitlement_id, run_id, period, reference_date, applicant_id, family, "
        f"amount_fen) SELECT e.id, %s, %s, %s, e.applicant_id, e.family, e.amount_fen "
        f"FROM {Entitlement._meta.db_table} e WHERE e.program_id = %s ON CONFLICT DO NOTHING",
        [run.pk, PERIOD, period.reference_date, program.pk],
    )
    return time.perf_counter() - started, inserted


def _run(chunk_size: int) -> tuple[float, int]:
    started = time.perf_counter()
    run = payment_run_start(program_code=PROGRAM, period=PERIOD, now=NOW, chunk_size=chunk_size, trigger="bench")
    run = payment_run_execute(run_id=run.pk)
    return time.perf_counter() - started, run.inserted


def _explain(program: SubsidyProgram, chunk_size: int) -> None:
    boundary, insert = _sql()
    day = period_parse(program.period, PERIOD).reference_date
    high = _execute(boundary, [program.pk, 0, chunk_size])[0][0]
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + insert, [
            0, PERIOD, day, PERIOD, 0, high, program.pk, 0, high, day, day, day, day])
        print("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("ROLLBACK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE one chunk of the run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/payment_run.py needs PostgreSQL (DATABASE_URL)")
    connection.ensure_connection()

    if args.regenerate or _generated_rows() != args.rows:
        _generate(args.rows)
    program = SubsidyProgram.objects.get(code=PROGRAM)
    entitlements = Entitlement.objects.filter(program=program).count()
    print(f"{entitlements:,} {PROGRAM} entitlements; period {PERIOD}; chunk size {args.chunk_size:,}; "
          f"{args.repeat} round(s)", flush=True)

    bare_times, run_times, rerun_times = [], [], []
    for round_ in range(1, args.repeat + 1):
        _fresh_start()
        seconds, inserted = _bare(program)
        assert inserted == entitlements, (inserted, entitlements)
        bare_times.append(seconds)
        _fresh_start()
        seconds, inserted = _run(args.chunk_size)
        assert inserted == entitlements, (inserted, entitlements)
        run_times.append(seconds)
        seconds, inserted = _run(args.chunk_size)
        assert inserted == 0, inserted
        rerun_times.append(seconds)
        assert Payment.objects.filter(period=PERIOD).count() == entitlements
        print(f"round {round_}: bare {bare_times[-1]:.2f} s, run {run_times[-1]:.2f} s, "
              f"rerun {rerun_times[-1]:.2f} s", flush=True)
        if args.explain and round_ == 1:
            _explain(program, args.chunk_size)

    bare, run, rerun = (statistics.median(t) for t in (bare_times, run_times, rerun_times))
    print(f"bare INSERT … SELECT … ON CONFLICT DO NOTHING: {bare:.2f} s ({entitlements / bare:,.0f} rows/s)")
    print(f"payment run (set-based chunks, checks, progress): {run:.2f} s ({entitlements / run:,.0f} rows/s)")
    print(f"repeated run (adds nothing): {rerun:.2f} s")
    print(f"run/bare = {run / bare:.2f}; rerun/bare = {rerun / bare:.2f}")


if __name__ == "__main__":
    main()
