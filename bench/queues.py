"""Clerk work queues at a million cases: ``python bench/queues.py [--rows 1000000] [--regenerate] [--explain]``.

Sets Django up itself (DJANGO_SETTINGS_MODULE defaults to hukou.settings) against DATABASE_URL, which must
be a migrated PostgreSQL database of its own, e.g.::

    psql -h localhost -U postgres -c 'create database hukou_bench_q'
    DEBUG=0 SECRET_KEY=test DATABASE_URL=postgres://postgres@localhost:5432/hukou_bench_q \\
        .venv/bin/python manage.py migrate
    DEBUG=0 SECRET_KEY=test DATABASE_URL=postgres://postgres@localhost:5432/hukou_bench_q \\
        .venv/bin/python bench/queues.py

1. Generates ``--rows`` applications (default 1,000,000) with their applicants and login accounts by
   PostgreSQL COPY (psycopg's ``cursor.copy``), in one transaction, spread over states, the
   jurisdictions sx.kq / jx / hz.city, their routes and due dates (overdue, due soon, later). One
   applicant owns many cases (``HEAVY_CASES``). Generated rows are marked (usernames ``bench-q-…``,
   case numbers ``BQ-…``, a row in ``bench_queues_marker``) and reused by the next run unless
   ``--regenerate`` (or a different ``--rows``) asks for new ones. Then VACUUM ANALYZE.
2. Times, as a clerk of sx.kq (a staff account in the clerk group with a StaffJurisdiction) and as a
   supervisor of the whole province (StaffJurisdiction zj: every jurisdiction's queue at once):
   ``application_queue`` for each step, first page of 50 and a deep page (offset ``DEEP_OFFSET``), the
   rows materialised with their select_related objects; then, when they exist, the admin queue
   changelist and the REST API list pages through django.test.Client (the clerk, and the applicant
   with many cases).
3. Prints a table (page, median ms of ``--repeat`` runs after a warm-up, fastest ms, queries of one
   run, rows or HTTP status) and, last, ``slowest page ms = N`` (the slowest median, rounded up).

Budget: under 300 ms a page on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou.settings")
os.environ.setdefault("SECRET_KEY", "bench-queues-only")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, Resolver404, resolve, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from applications.models import Applicant, Application, ApplicationState, StaffJurisdiction  # noqa: E402
from applications.selectors import QUEUE_STATES, application_queue  # noqa: E402
from applications.services.transitions import _route_snapshot  # noqa: E402  (the snapshot a real case carries)
from hukou.roles import roles_sync  # noqa: E402
from policies.models import Jurisdiction, SettlementRoute  # noqa: E402

S = ApplicationState
User = get_user_model()

PREFIX = "bench-q-"  # usernames of every generated account
CASE_PREFIX = "BQ-"  # case numbers of every generated case
MARKER_TABLE = "bench_queues_marker"
JURISDICTIONS = {"sx.kq": 0.4, "jx": 0.3, "hz.city": 0.3}
STATE_WEIGHTS = {
    S.DRAFT: 0.08,
    S.SUBMITTED: 0.07,
    S.RESUBMITTED: 0.02,
    S.ACCEPTED: 0.07,
    S.CORRECTION_REQUESTED: 0.03,
    S.UNDER_REVIEW: 0.05,
    S.APPROVED: 0.03,
    S.REGISTERED: 0.45,
    S.REFUSED: 0.06,
    S.NOT_ACCEPTED: 0.05,
    S.WITHDRAWN: 0.09,
}
OPEN_AFTER_SUBMISSION = {S.SUBMITTED, S.RESUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.UNDER_REVIEW, S.APPROVED}
CASES_PER_APPLICANT = 2
HEAVY_CASES = 3000  # the applicant with many cases (API list)
ASSIGNEES_PER_JURISDICTION = 5
PAGE = 50
DEEP_OFFSET = 4950  # page 100 of 50
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌浩宇欣怡佳琪子轩梓涵一诺"


# --- setup: staff accounts ------------------------------------------------------------------------
def staff_user(username: str, jurisdiction_code: str, group) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True, "password": "!bench"})
    user.groups.add(group)
    StaffJurisdiction.objects.get_or_create(user=user, jurisdiction=Jurisdiction.objects.get(code=jurisdiction_code))
    return user


def staff_accounts() -> dict:
    groups = roles_sync()
    clerk = staff_user(f"{PREFIX}clerk", "sx.kq", groups["clerk"])
    supervisor = staff_user(f"{PREFIX}clerk-zj", "zj", groups["clerk"])
    assignees = {
        code: [clerk] * (code == "sx.kq")
        + [staff_user(f"{PREFIX}staff-{code}-{n}", code, groups["clerk"]) for n in range(ASSIGNEES_PER_JURISDICTION)]
        for code in JURISDICTIONS
    }
    return {"clerk": clerk, "supervisor": supervisor, "assignees": assignees}


# --- generation -----------------------------------------------------------------------------------
def marker_rows(table: str = MARKER_TABLE) -> int | None:
    """How many rows the last generation made (the marker table says; None: none yet)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {table} "
            "(id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), rows bigint NOT NULL, generated_at timestamptz NOT NULL)"
        )
        cursor.execute(f"SELECT rows FROM {table}")
        row = cursor.fetchone()
    return row[0] if row else None


def delete_generated() -> None:
    log("deleting the previously generated rows")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute("DELETE FROM applications_application WHERE case_number LIKE %s", [CASE_PREFIX + "%"])
        cursor.execute(
            "DELETE FROM applications_applicant a USING auth_user u "
            "WHERE a.user_id = u.id AND u.username LIKE %s AND NOT u.is_staff", [PREFIX + "%"],
        )
        cursor.execute("DELETE FROM auth_user WHERE username LIKE %s AND NOT is_staff", [PREFIX + "%"])


def routes_by_jurisdiction() -> dict[str, list[SettlementRoute]]:
    """The routes that apply at each benchmark jurisdiction (defined on it or an ancestor, not excluded)."""
    result = {}
    for code in JURISDICTIONS:
        node = Jurisdiction.objects.get(code=code)
        chain = []
        while node is not None:
            chain.append(node.pk)
            node = node.parent
        routes = (
            SettlementRoute.objects.filter(jurisdictions__in=chain, active=True)
            .exclude(excluded_jurisdictions__code=code)
            .select_related("document")
            .distinct()
        )
        result[code] = list(routes)
        if not result[code]:
            raise SystemExit(f"no settlement route applies at {code}: is the database migrated (seeded)?")
    return result


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _reset_sequence(cursor, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def _id_number(n: int) -> str:
    body = f"330603{date(1960, 1, 1) + timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _check_columns(model, columns: list[str]) -> None:
    """Fail clearly if the model grew a required column the generator does not fill."""
    missing = [
        f.column for f in model._meta.concrete_fields
        if f.column not in columns and not f.primary_key and not f.null and not f.has_default()
    ]
    if missing:
        raise SystemExit(f"bench/queues.py does not fill {model._meta.db_table}.{', '.join(missing)}: update it")


def generate(rows: int, seed: int, staff: dict) -> None:
    rng = random.Random(seed)
    applicants = max(1, (rows - HEAVY_CASES) // CASES_PER_APPLICANT + 1)
    routes = routes_by_jurisdiction()
    jurisdiction_ids = {code: Jurisdiction.objects.get(code=code).pk for code in JURISDICTIONS}
    snapshots = {route.pk: json.dumps(_route_snapshot(SimpleNamespace(route=route)), ensure_ascii=False)
                 for route_list in routes.values() for route in route_list}
    eligibility = {
        route.pk: json.dumps({
            "code": route.code, "eligible": True, "followers": route.followers,
            "conditions": [{"label": c["label"], "ok": True} for c in route.criteria],
        }, ensure_ascii=False)
        for route_list in routes.values() for route in route_list
    }
    facts = [
        json.dumps({
            "birth_date": f"{1975 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}", "sex": "MF"[n % 2],
            "education": ["bachelor", "master", "college", "secondary_vocational"][n % 4], "general_college": True,
            "hukou": {"in_target_city": False},
            "employment": {"employed": True, "in_target": n % 3 > 0, "contract_months": 12 + n % 36},
            "residence": {"stable_residence_in_target": n % 5 == 0},
        })
        for n in range(64)
    ]
    assignee_ids = {code: [u.pk for u in users] for code, users in staff["assignees"].items()}
    now = timezone.now().astimezone(UTC)
    first_day = now - timedelta(days=3 * 365)

    user_columns = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
                    "is_staff", "is_active", "date_joined"]
    applicant_columns = ["id", "user_id", "real_name", "id_number", "phone", "created_at"]
    application_columns = [
        "case_number", "applicant_id", "route_id", "jurisdiction_id", "facts", "eligibility", "route_snapshot",
        "state", "version", "submitted_at", "clock_started_on", "due_date", "assigned_to_id", "decision_reason",
        "decision_condition", "created_at", "updated_at",
    ]
    _check_columns(User, user_columns)
    _check_columns(Applicant, applicant_columns)
    _check_columns(Application, application_columns)

    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    codes, code_weights = list(JURISDICTIONS), list(JURISDICTIONS.values())

    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        first_user, first_applicant = _next_id(cursor, "auth_user"), _next_id(cursor, "applications_applicant")
        joined = first_day

        started = time.perf_counter()
        count = _copy(cursor, "auth_user", user_columns, (
            (first_user + n, "!bench", None, False, f"{PREFIX}a{n}", "", "", "", False, True, joined)
            for n in range(applicants)
        ))
        log(f"auth_user: {count:,} rows in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        count = _copy(cursor, "applications_applicant", applicant_columns, (
            (first_applicant + n, first_user + n, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
             _id_number(n), f"13{n % 1_000_000_000:09d}", joined)
            for n in range(applicants)
        ))
        log(f"applications_applicant: {count:,} rows in {time.perf_counter() - started:.1f} s")

        def application_rows():
            span = (now - first_day).total_seconds()
            for n in range(rows):
                code = rng.choices(codes, code_weights)[0]
                route = rng.choice(routes[code])
                state = rng.choices(states, weights)[0]
                created = first_day + timedelta(seconds=span * n / rows)
                applicant = first_applicant + (0 if n < HEAVY_CASES else 1 + rng.randrange(applicants - 1 or 1))
                if state == S.DRAFT:
                    submitted = clock = due = None
                    snapshot = result = None
                    assigned = None
                else:
                    if state in OPEN_AFTER_SUBMISSION:
                        # the open cases were filed in the last four months: some overdue, some due soon
                        submitted = now - timedelta(days=rng.uniform(0, 120))
                    else:
                        submitted = created + timedelta(days=rng.uniform(0, 3))
                    clock = timezone.localtime(submitted).date()
                    due = clock + timedelta(days=7 + 7 * rng.randrange(0, 4))
                    snapshot, result = snapshots[route.pk], eligibility[route.pk]
                    assigned = rng.choice(assignee_ids[code]) if state in OPEN_AFTER_SUBMISSION and rng.random() < 0.3 \
                        else None
                decided = state in (S.REFUSED, S.NOT_ACCEPTED)
                yield (
                    f"{CASE_PREFIX}{n:08d}", applicant, route.pk, jurisdiction_ids[code], rng.choice(facts), result,
                    snapshot, state, 1 + rng.randrange(6), submitted, clock, due, assigned,
                    "材料经核查不符合要求" if decided else "", route.criteria[0]["label"] if decided else "",
                    created, max(created, submitted or created),
                )

        started = time.perf_counter()
        count = _copy(cursor, "applications_application", application_columns, application_rows())
        log(f"applications_application: {count:,} rows in {time.perf_counter() - started:.1f} s")
        _reset_sequence(cursor, "auth_user")
        _reset_sequence(cursor, "applications_applicant")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (rows, generated_at) VALUES (%s, now())", [rows])


def vacuum_analyze() -> None:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("auth_user", "applications_applicant", "applications_application"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    log(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


# --- timing ---------------------------------------------------------------------------------------
class Bench:
    def __init__(self, repeat: int):
        self.repeat = repeat
        self.results: list[tuple[str, float, float, int, str]] = []

    def time(self, name: str, run) -> None:
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # survives the request_started signal, unlike CaptureQueriesContext
            outcome = run()  # warm-up, and the query count of one run
        samples = []
        for _ in range(self.repeat):
            started = time.perf_counter()
            outcome = run()
            samples.append((time.perf_counter() - started) * 1000)
        self.results.append((name, statistics.median(samples), min(samples), len(queries), str(outcome)))
        log(f"{name}: {statistics.median(samples):.1f} ms")

    def report(self) -> None:
        width = max(len(r[0]) for r in self.results)
        print()
        print(f"{'page':<{width}}  {'ms':>8}  {'min ms':>8}  {'queries':>7}  rows / status")
        print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 7}  {'-' * 13}")
        for name, median, fastest, queries, outcome in self.results:
            print(f"{name:<{width}}  {median:8.1f}  {fastest:8.1f}  {queries:7d}  {outcome}")
        slowest = max((r[1] for r in self.results), default=0.0)
        print(f"slowest page ms = {math.ceil(slowest)}")


def queue_page(user, step: str, offset: int):
    def run():
        # a fresh user object: nothing cached between runs (the jurisdictions are looked up each time)
        fresh = User.objects.get(pk=user.pk)
        page = list(application_queue(user=fresh, step=step)[offset:offset + PAGE])
        shown = [  # what a queue row shows, from the select_related objects (no query per row)
            (case.case_number, case.applicant.real_name, case.applicant.id_number_masked, case.route.code,
             case.jurisdiction.name, case.assigned_to.username if case.assigned_to else "", case.due_date)
            for case in page
        ]
        assert len(shown) == len(page)
        return f"{len(page)} rows"
    return run


def explain(user, step: str, offset: int) -> None:
    queryset = application_queue(user=user, step=step)[offset:offset + PAGE]
    print(f"\n-- EXPLAIN ANALYZE queue {step} offset {offset} as {user.username}")
    print(queryset.explain(analyze=True, buffers=True))


def http_page(client: Client, url: str):
    def run():
        response = client.get(url)
        content = b"".join(response) if response.streaming else response.content
        return f"HTTP {response.status_code}, {len(content) // 1024} KiB"
    return run


def admin_queue_urls() -> list[tuple[str, str, int]]:
    """The admin changelists of the case model (and its proxies, if the queues are proxies), each with
    the deepest page it offers (its paginator may stop counting at a bound)."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.concrete_model is not Application:
            continue
        try:
            base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        bound = getattr(model_admin.paginator, "bound", None) or DEEP_OFFSET + PAGE
        urls.append((model._meta.model_name, base, max(1, bound // model_admin.list_per_page)))
    return urls


def api_list_url() -> str | None:
    for name in ("application-list", "applications:application-list", "api:application-list"):
        try:
            return reverse(name)
        except NoReverseMatch:
            pass
    for candidate in ("/api/v1/applications/", "/api/v1/cases/"):
        try:
            resolve(candidate)
            return candidate
        except Resolver404:
            pass
    return None


def time_http(bench: Bench, staff: dict, heavy_user) -> None:
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clerk_client = Client()
    clerk_client.force_login(staff["clerk"])
    changelists = admin_queue_urls()
    if not changelists:
        log("the admin has no changelist of applications yet: admin pages not timed")
    for name, base, deepest in changelists:
        first = clerk_client.get(base + "?step=accept")
        if first.status_code == 200:
            for step in QUEUE_STATES:
                bench.time(f"admin {name} ?step={step}", http_page(clerk_client, f"{base}?step={step}"))
            deep = f"{base}?step=accept&p={deepest}"
            bench.time(f"admin {name} ?step=accept&p={deepest}", http_page(clerk_client, deep))
        else:
            bench.time(f"admin {name}", http_page(clerk_client, base))

    url = api_list_url()
    if url is None:
        log("the REST API has no list of applications yet: API pages not timed")
        return
    applicant_client = Client()
    applicant_client.force_login(heavy_user)
    bench.time(f"api {url} (applicant, {HEAVY_CASES} cases)", http_page(applicant_client, url))
    bench.time(f"api {url}?page=40 (applicant)", http_page(applicant_client, f"{url}?page=40"))
    bench.time(f"api {url} (clerk sx.kq)", http_page(clerk_client, url))


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="applications to generate (default 1,000,000)")
    parser.add_argument("--regenerate", action="store_true", help="delete the generated rows and make new ones")
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per page, after one warm-up (default 5)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the queue queries")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/queues.py needs PostgreSQL (DATABASE_URL=postgres://…): it loads rows with COPY")
    if args.rows < HEAVY_CASES + 2:
        raise SystemExit(f"--rows must be at least {HEAVY_CASES + 2}")

    staff = staff_accounts()
    existing = marker_rows()
    if existing == args.rows and not args.regenerate:
        log(f"reusing the {existing:,} generated applications (--regenerate makes new ones)")
    else:
        delete_generated()
        log(f"generating {args.rows:,} applications by COPY")
        generate(args.rows, args.seed, staff)
        vacuum_analyze()
    heavy_user = User.objects.get(username=f"{PREFIX}a0")

    bench = Bench(args.repeat)
    for label, user in (("sx.kq", staff["clerk"]), ("zj", staff["supervisor"])):
        for step in QUEUE_STATES:
            bench.time(f"queue {step} p1 (clerk {label})", queue_page(user, step, 0))
            bench.time(f"queue {step} offset {DEEP_OFFSET} (clerk {label})", queue_page(user, step, DEEP_OFFSET))
            if args.explain:
                explain(user, step, 0)
                explain(user, step, DEEP_OFFSET)
    time_http(bench, staff, heavy_user)
    bench.report()


if __name__ == "__main__":
    main()
