"""The leaders' dashboard at a million cases: ``python bench/dashboard.py [--rows 1000000] [--regenerate]``.

Needs a migrated PostgreSQL database of its own (DATABASE_URL), like bench/queues.py, whose generator it
reuses: the same million cases (``BQ-…``), then what the dashboard counts on top of them, written by
``INSERT … SELECT`` from those cases (marked by ``bench_dashboard_marker``): the transition audit rows of
every case's path (submission, acceptance by a clerk or deemed by the system, the one correction, review,
approval or refusal, registration, withdrawal), the registrations with their settlement dates, correction
notices with the materials asked for, ratings with follow-ups for the poor ones, and a stipend payment for
the Keqiao settlers.

Then it times (one warm-up, then the median of ``--repeat`` runs):
- the nightly refresh of the aggregates (``dashboard_refresh``; once: it is a nightly job);
- the whole page's data (``dashboard_data``: every chart and figure) for a leader of sx.kq and one of the
  province, over the last 12 and 36 months;
- the page itself through django.test.Client (the HTML with its JSON).
Last line: ``dashboard ms = N`` (the slowest page-data median, rounded up). Budget: 500 ms.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import queues
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from dashboard.selectors import Scope, dashboard_data, subtree_ids
from dashboard.services.refresh import dashboard_refresh
from hukou.roles import roles_sync
from policies.models import Jurisdiction

MARKER_TABLE = "bench_dashboard_marker"
CASES = "a.case_number LIKE 'BQ-%%'"
log = queues.log


def marker_rows() -> int | None:
    return queues.marker_rows(MARKER_TABLE)


def delete_extras() -> None:
    log("deleting the dashboard's generated rows")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        for table, key in (("subsidies_payment", "entitlement_id IN (SELECT e.id FROM subsidies_entitlement e "
                                                 "JOIN applications_registration g ON g.id = e.registration_id "
                                                 "JOIN applications_application a ON a.id = g.application_id "
                                                 f"WHERE {CASES})"),
                           ("subsidies_entitlement", "registration_id IN (SELECT g.id FROM applications_registration g "
                                                     f"JOIN applications_application a ON a.id = g.application_id "
                                                     f"WHERE {CASES})"),
                           ("subsidies_paymentrun", "trigger = 'bench'"),
                           ("applications_ratingfollowup",
                            "rating_id IN (SELECT s.id FROM applications_servicerating s "
                            f"JOIN applications_application a ON a.id = s.application_id WHERE {CASES})")):
            cursor.execute(f"DELETE FROM {table} WHERE {key}")
        for table in ("applications_servicerating", "applications_correctionnotice", "applications_registration",
                      "applications_applicationtransition"):
            cursor.execute(f"DELETE FROM {table} t USING applications_application a "
                           f"WHERE a.id = t.application_id AND {CASES}")


# Each path step: (transition, source, target, which states took it, moment, the actor: clerk or NULL)
def _transition(name: str, source: str, target: str, states: list[str], moment: str, actor: str = "%(clerk)s",
                where: str = "") -> str:
    listed = ", ".join(f"'{s}'" for s in states)
    return f"""
        INSERT INTO applications_applicationtransition
            (application_id, transition, source, target, actor_id, reason, at)
        SELECT a.id, '{name}', '{source}', '{target}', {actor}, '', {moment}
        FROM applications_application a
        WHERE {CASES} AND a.state IN ({listed}) {where}"""


AFTER_ACCEPTANCE = ["accepted", "under_review", "approved", "registered", "refused", "correction_requested",
                    "resubmitted"]
DEEMED = "a.id %% 10 = 0"  # one case in ten was deemed accepted by the system
ACCEPTED_AT = "a.submitted_at + interval '1 day' * (1 + a.id %% 6)"
REVIEW_AT = f"{ACCEPTED_AT} + interval '1 day'"
DECIDED_AT = f"{REVIEW_AT} + interval '1 day' * (a.id %% 25)"
REGISTERED_AT = f"{DECIDED_AT} + interval '2 days'"


def generate_extras(rows: int, clerk_id: int) -> None:
    statements = [
        ("submit", _transition("submit", "draft", "submitted", [s for s in queues.STATE_WEIGHTS if s != "draft"],
                               "a.submitted_at", actor="(SELECT user_id FROM applications_applicant p "
                                                       "WHERE p.id = a.applicant_id)")),
        ("accept", _transition("accept", "submitted", "accepted", AFTER_ACCEPTANCE, ACCEPTED_AT,
                               where=f"AND NOT ({DEEMED})")),
        ("deemed", _transition("deem_accept", "submitted", "accepted", AFTER_ACCEPTANCE,
                               "a.submitted_at + interval '7 days'", actor="NULL", where=f"AND {DEEMED}")),
        ("not_accept", _transition("not_accept", "submitted", "not_accepted", ["not_accepted"],
                                   "a.submitted_at + interval '1 day' * (a.id %% 7)")),
        ("correction", _transition("request_correction", "accepted", "correction_requested",
                                   ["correction_requested", "resubmitted"], f"{ACCEPTED_AT} + interval '2 hours'")),
        ("resubmit", _transition("resubmit", "correction_requested", "resubmitted", ["resubmitted"],
                                 f"{ACCEPTED_AT} + interval '3 days'", actor="NULL")),
        ("review", _transition("start_review", "accepted", "under_review",
                               ["under_review", "approved", "registered", "refused"], REVIEW_AT)),
        ("approve", _transition("approve", "under_review", "approved", ["approved", "registered"], DECIDED_AT)),
        ("refuse", _transition("refuse", "under_review", "refused", ["refused"], DECIDED_AT)),
        ("register", _transition("register", "approved", "registered", ["registered"], REGISTERED_AT)),
        ("withdraw", _transition("withdraw", "submitted", "withdrawn", ["withdrawn"],
                                 "a.submitted_at + interval '2 days'", actor="NULL")),
        ("registrations", f"""
            INSERT INTO applications_registration (application_id, registered_on, address_type, address, registrar_id,
                                                   created_at)
            SELECT a.id, CAST(({REGISTERED_AT}) AT TIME ZONE 'Asia/Shanghai' AS date), 'talent_collective', '人才专户',
                   %(clerk)s, {REGISTERED_AT}
            FROM applications_application a WHERE {CASES} AND a.state = 'registered'"""),
        ("corrections", f"""
            INSERT INTO applications_correctionnotice (application_id, items, issued_by_id, issued_at, answered_at)
            SELECT a.id, CASE a.id %% 3
                WHEN 0 THEN '[{{"code": "diploma", "name": "毕业证书", "reason": "不清晰"}}]'::jsonb
                WHEN 1 THEN '[{{"code": "contract", "name": "劳动合同", "reason": "缺页"}},
                              {{"code": "id_card", "name": "身份证", "reason": "过期"}}]'::jsonb
                ELSE '[{{"code": "hukou_book", "name": "户口簿", "reason": "缺少首页"}}]'::jsonb END,
                %(clerk)s, {ACCEPTED_AT} + interval '2 hours', NULL
            FROM applications_application a WHERE {CASES} AND a.state IN ('correction_requested', 'resubmitted')"""),
        ("ratings", f"""
            INSERT INTO applications_servicerating (application_id, overall, efficiency, guide_accuracy, convenience,
                                                    ease_of_use, comment, rated_by_id, created_at)
            SELECT a.id, 1 + (a.id * 7) %% 5, 1 + (a.id * 3) %% 5, 2 + a.id %% 4, 3 + a.id %% 3, 1 + (a.id * 11) %% 5,
                   '', p.user_id, {REGISTERED_AT} + interval '1 day'
            FROM applications_application a JOIN applications_applicant p ON p.id = a.applicant_id
            WHERE {CASES} AND a.state IN ('registered', 'refused') AND a.id %% 3 = 0"""),
        ("follow_ups", f"""
            INSERT INTO applications_ratingfollowup (rating_id, jurisdiction_id, status, resolution, resolved_by_id,
                                                     resolved_at, created_at)
            SELECT s.id, a.jurisdiction_id, CASE WHEN s.id %% 4 = 0 THEN 'open' ELSE 'resolved' END,
                   CASE WHEN s.id %% 4 = 0 THEN '' ELSE '已回访整改' END,
                   CASE WHEN s.id %% 4 = 0 THEN NULL ELSE %(clerk)s END,
                   CASE WHEN s.id %% 4 = 0 THEN NULL ELSE s.created_at + interval '5 days' END, s.created_at
            FROM applications_servicerating s JOIN applications_application a ON a.id = s.application_id
            WHERE {CASES} AND LEAST(s.overall, s.efficiency, s.guide_accuracy, s.convenience, s.ease_of_use) <= 2"""),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql in statements:
            started = time.perf_counter()
            cursor.execute(sql, {"clerk": clerk_id})
            log(f"{name}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s")
        _payments(cursor)
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (rows, generated_at) VALUES (%s, now())", [rows])


def _payments(cursor) -> None:
    """A stipend entitlement for every Keqiao settler and one payment of the month after settling."""
    started = time.perf_counter()
    cursor.execute("SELECT id, amount_fen, family FROM policies_subsidyprogram WHERE code = 'kq.stipend'")
    program_id, amount, family = cursor.fetchone()
    cursor.execute(f"""
        INSERT INTO subsidies_entitlement (program_id, applicant_id, registration_id, beneficiary, family,
                                           period_kind, amount_fen, max_periods, starts_on, stop_reason, competes,
                                           created_at)
        SELECT %s, a.applicant_id, g.id, 'settler', %s, 'month', %s, 6, g.registered_on, '', false, now()
        FROM applications_registration g JOIN applications_application a ON a.id = g.application_id
        JOIN policies_jurisdiction j ON j.id = a.jurisdiction_id
        WHERE {CASES} AND j.code = 'sx.kq'
        ON CONFLICT DO NOTHING""", [program_id, family, amount])
    cursor.execute(f"""
        INSERT INTO subsidies_paymentrun (program_id, period, reference_date, status, chunk_size, cursor, total,
                                          processed, inserted, chunks, attempts, trigger, created_at, error)
        SELECT DISTINCT %s, to_char(g.registered_on + interval '1 month', 'YYYY-MM'),
               CAST(date_trunc('month', g.registered_on + interval '2 months') - interval '1 day' AS date),
               'completed', 10000, 0, 0, 0, 0, 0, 1, 'bench', now(), ''
        FROM subsidies_entitlement e JOIN applications_registration g ON g.id = e.registration_id
        JOIN applications_application a ON a.id = g.application_id
        WHERE {CASES} AND e.program_id = %s""", [program_id, program_id])
    cursor.execute(f"""
        INSERT INTO subsidies_payment (entitlement_id, run_id, period, reference_date, applicant_id, family,
                                       amount_fen, created_at, recovery_status, recovery_reason)
        SELECT e.id, r.id, r.period, r.reference_date, e.applicant_id, e.family, e.amount_fen, now(),
               CASE WHEN e.id %% 50 = 0 THEN 'due' ELSE 'none' END, ''
        FROM subsidies_entitlement e JOIN applications_registration g ON g.id = e.registration_id
        JOIN applications_application a ON a.id = g.application_id
        JOIN subsidies_paymentrun r ON r.program_id = e.program_id AND r.trigger = 'bench'
             AND r.period = to_char(g.registered_on + interval '1 month', 'YYYY-MM')
        WHERE {CASES} AND e.program_id = %s
        ON CONFLICT DO NOTHING""", [program_id])
    log(f"payments: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s")


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        for table in ("applications_applicationtransition", "applications_registration",
                      "applications_correctionnotice", "applications_servicerating", "applications_ratingfollowup",
                      "subsidies_entitlement", "subsidies_payment"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def leader(username: str, code: str):
    from django.contrib.auth import get_user_model

    from applications.models import StaffJurisdiction

    group = roles_sync()["leader"]
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True,
                                                                                   "password": "!bench"})
    user.groups.add(group)
    StaffJurisdiction.objects.get_or_create(user=user, jurisdiction=Jurisdiction.objects.get(code=code))
    return user


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="cases to generate (default 1,000,000)")
    parser.add_argument("--regenerate", action="store_true", help="delete the generated rows and make new ones")
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure, after one warm-up")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/dashboard.py needs PostgreSQL (DATABASE_URL=postgres://…)")

    staff = queues.staff_accounts()
    if queues.marker_rows() != args.rows or args.regenerate:
        delete_extras() if marker_rows() is not None else None
        queues.delete_generated()
        log(f"generating {args.rows:,} applications by COPY (bench/queues.py's generator)")
        queues.generate(args.rows, args.seed, staff)
        queues.vacuum_analyze()
    else:
        log(f"reusing the {args.rows:,} generated applications")
    if marker_rows() != args.rows:
        delete_extras()
        log("generating transitions, registrations, corrections, ratings, payments")
        generate_extras(args.rows, staff["clerk"].pk)
        vacuum_analyze()
    else:
        log("reusing the generated transitions, registrations, ratings and payments")

    bench = queues.Bench(args.repeat)
    started = time.perf_counter()
    refresh = dashboard_refresh(trigger="bench")
    refresh_s = time.perf_counter() - started
    log(f"refresh: {refresh_s:.1f} s, rows {refresh.rows}")
    today = refresh.as_of
    everywhere = frozenset(Jurisdiction.objects.values_list("id", flat=True))
    keqiao = subtree_ids(Jurisdiction.objects.get(code="sx.kq").pk)
    data_names = []
    for label, ids in (("leader sx.kq", keqiao), ("leader zj", everywhere)):
        for months in (12, 36):
            scope = Scope(jurisdiction_ids=frozenset(ids), first_month=_months_back(today, months),
                          last_month=today.replace(day=1))
            name = f"page data, {label}, {months} months"
            data_names.append(name)
            bench.time(name, lambda scope=scope: f"{len(dashboard_data(scope)['charts'])} charts")
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for username, code in (("bench-d-leader-kq", "sx.kq"), ("bench-d-leader-zj", "zj")):
        client = Client()
        client.force_login(leader(username, code))
        bench.time(f"page HTTP, leader {code}, this year", queues.http_page(client, "/dashboard/"))
    width = max(len(r[0]) for r in bench.results)
    print()
    print(f"refresh of the aggregates (nightly job): {refresh_s:.1f} s; data as of {today}, "
          f"{sum(v for k, v in refresh.rows.items() if k != 'working_days'):,} aggregate rows")
    print(f"{'measure':<{width}}  {'ms':>8}  {'min ms':>8}  {'queries':>7}  result")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 7}  {'-' * 13}")
    for name, median, fastest, queries, outcome in bench.results:
        print(f"{name:<{width}}  {median:8.1f}  {fastest:8.1f}  {queries:7d}  {outcome}")
    slowest = max(r[1] for r in bench.results if r[0] in data_names)
    print(f"dashboard ms = {math.ceil(slowest)}")


if __name__ == "__main__":
    main()
