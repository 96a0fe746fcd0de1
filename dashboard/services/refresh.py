"""Rebuild the dashboard's aggregate tables from the cases, ratings and payments: set-based SQL
(``INSERT … SELECT … GROUP BY``), all tables in one transaction, so the page always reads one
consistent refresh and a crash leaves the previous one in place. Safe to re-run at any time; two
refreshes never run at once (an advisory lock on PostgreSQL).

What is counted (months and days in Asia/Shanghai):
- settlements: registrations by the month of the settlement date (落户登记日期), with the settler's age
  (周岁 on that date, from the frozen facts) and education, and the family members who followed;
- case events by the month they happened: ``received`` (submission, 收件), ``responded`` (the first answer
  to a filing: accepted, not accepted or the one correction notice; its working days from receipt against
  the law's acceptance limit), ``decided`` (approved or refused; working days from the clock's start
  against the promised days and the law's decision limit; late = decided after the promised due date),
  and the transitions ``accepted`` (by staff), ``deemed_accepted`` (受理 by the system: no actor),
  ``not_accepted``, ``correction_requested``, ``approved``, ``refused``, ``withdrawn``;
- the materials named in correction notices; open work by step on the refresh day; 好差评 by indicator and
  level; follow-ups opened and resolved; payments (应发) by the month of their reference date.
"""

from __future__ import annotations

import logging
import zlib
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from applications.models import (
    Application,
    ApplicationTransition,
    CorrectionNotice,
    FamilyMember,
    RatingFollowUp,
    Registration,
    ServiceRating,
)
from applications.models.ratings import RATING_INDICATORS
from dashboard.models import (
    CaseCount,
    CorrectionItemCount,
    FollowUpCount,
    OpenCaseCount,
    RatingCount,
    Refresh,
    SettlementCount,
    SpendCount,
    WorkingDayIndex,
)
from policies.models import SettlementRoute, StatutoryTimeLimit, WorkingCalendarDay
from policies.models.targets import AGE_BANDS, AGE_UNKNOWN, EDUCATION_CODES, EDUCATION_UNKNOWN
from policies.services.calendar import is_working_day
from subsidies.models import Entitlement, Payment

logger = logging.getLogger(__name__)

# Case events counted from the transition audit rows (source ≠ target: claims and releases are not events).
TRANSITION_METRICS = [
    # metric, condition on the transition row t
    ("correction_requested", "t.target = 'correction_requested'"),
    ("deemed_accepted", "t.target = 'accepted' AND t.actor_id IS NULL"),
    ("accepted", "t.target = 'accepted' AND t.actor_id IS NOT NULL"),
    ("not_accepted", "t.target = 'not_accepted'"),
    ("approved", "t.target = 'approved'"),
    ("refused", "t.target = 'refused'"),
    ("withdrawn", "t.target = 'withdrawn'"),
]
METRICS = ["received", "responded", "decided", *(metric for metric, _condition in TRANSITION_METRICS)]
RESPONSE_STATES = ("accepted", "not_accepted", "correction_requested")
DECISION_STATES = ("approved", "refused")
# Open work by step: the state a case waits in, and the step it waits for.
OPEN_STEPS = {
    "submitted": "acceptance",
    "resubmitted": "acceptance",
    "correction_requested": "correction",
    "accepted": "review",
    "under_review": "approval",
    "approved": "registration",
}
FOLLOW_UP_STEP = "follow_up"
# Defaults when the statutory limits table has lost its rows (行政许可法 第三十二条、第四十二条).
DEFAULT_LIMITS = {"acceptance": 5, "decision": 20}
LOCK_KEY = zlib.crc32(b"dashboard.refresh")


class RefreshBusyError(Exception):
    """Another refresh is running."""


class _Postgres:
    def __init__(self):
        self.tz = settings.TIME_ZONE

    def local_date(self, expr: str) -> str:
        return f"CAST(({expr}) AT TIME ZONE '{self.tz}' AS date)"

    def month(self, day: str) -> str:
        return f"CAST(date_trunc('month', {day}) AS date)"

    def json_text(self, column: str, key: str) -> str:
        return f"({column} ->> '{key}')"

    def year(self, day: str) -> str:
        return f"CAST(EXTRACT(YEAR FROM {day}) AS integer)"

    def month_day(self, day: str) -> str:
        return f"to_char({day}, 'MM-DD')"

    def is_iso_date(self, text: str) -> str:
        return f"{text} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'"

    def array_items(self, column: str) -> tuple[str, str]:
        """(FROM-clause join, WHERE condition) giving one row ``item`` per element of a JSON array."""
        return f"CROSS JOIN LATERAL jsonb_array_elements({column}) AS item(value)", f"jsonb_typeof({column}) = 'array'"

    def item_text(self, key: str) -> str:
        return f"(item.value ->> '{key}')"


class _SQLite:
    """The embedded demo database: the same statements with SQLite's date and JSON functions.
    Asia/Shanghai has kept UTC+8 without summer time since 1991, and Django stores UTC in SQLite."""

    def local_date(self, expr: str) -> str:
        return f"date({expr}, '+8 hours')"

    def month(self, day: str) -> str:
        return f"date({day}, 'start of month')"

    def json_text(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{key}')"

    def year(self, day: str) -> str:
        return f"CAST(strftime('%%Y', {day}) AS integer)"

    def month_day(self, day: str) -> str:
        return f"strftime('%%m-%%d', {day})"

    def is_iso_date(self, text: str) -> str:
        return f"{text} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"

    def array_items(self, column: str) -> tuple[str, str]:
        return f", json_each({column}) AS item", f"json_type({column}) = 'array'"

    def item_text(self, key: str) -> str:
        return f"json_extract(item.value, '$.{key}')"


def _dialect():
    if connection.vendor == "postgresql":
        return _Postgres()
    if connection.vendor == "sqlite":
        return _SQLite()
    raise NotImplementedError(f"the dashboard refresh has no SQL for {connection.vendor}")


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def statutory_limits() -> dict[str, int]:
    limits = dict(DEFAULT_LIMITS)
    limits.update(StatutoryTimeLimit.objects.values_list("code", "working_days"))
    return limits


# --- the working-day index -------------------------------------------------------------------------
def _working_day_index(first: date, last: date) -> int:
    exceptions = dict(
        WorkingCalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "kind")
    )
    rows, ordinal, day = [], 0, first
    while day <= last:
        if day > first and is_working_day(day, exceptions):
            ordinal += 1
        rows.append(WorkingDayIndex(date=day, ordinal=ordinal))
        day += timedelta(days=1)
    WorkingDayIndex.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _span(today: date) -> tuple[date, date]:
    """The days the index must cover: from the first receipt (or a year back) to a while after today."""
    first = Application.objects.filter(submitted_at__isnull=False).order_by("submitted_at").values_list(
        "submitted_at", flat=True
    ).first()
    start = min(timezone.localtime(first).date() if first else today, today - timedelta(days=366))
    latest_due = Application.objects.order_by("-due_date").values_list("due_date", flat=True).first()
    end = max(today, latest_due or today) + timedelta(days=31)
    return start - timedelta(days=1), end


# --- the statements --------------------------------------------------------------------------------
def _age_band_sql(age: str) -> str:
    whens = []
    for code, _label, lower, upper in AGE_BANDS:
        bounds = [f"{age} >= {lower}" if lower is not None else "", f"{age} < {upper}" if upper is not None else ""]
        whens.append(f"WHEN {' AND '.join(b for b in bounds if b)} THEN '{code}'")
    return f"CASE WHEN {age} IS NULL THEN '{AGE_UNKNOWN}' {' '.join(whens)} ELSE '{AGE_UNKNOWN}' END"


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _statements(d, *, limits: dict[str, int], today: date) -> list[tuple[str, str, list]]:
    """(name, SQL, params) in order; names the rows-written report."""
    application, transition = _table(Application), _table(ApplicationTransition)
    route, wdi = _table(SettlementRoute), _table(WorkingDayIndex)
    case_count = _table(CaseCount)
    case_columns = "month, jurisdiction_id, route_id, metric, cases, working_days, promised_days, late, over_legal"
    birth = d.json_text("a.facts", "birth_date")
    education = d.json_text("a.facts", "education")
    items_join, items_are_array = d.array_items("n.items")
    indicator_rows = " UNION ALL ".join(
        f"SELECT {d.month(d.local_date('s.created_at'))} AS month, a.jurisdiction_id, '{field}' AS indicator, "
        f"s.{field} AS level FROM {_table(ServiceRating)} s JOIN {application} a ON a.id = s.application_id"
        for field, _label in RATING_INDICATORS
    )
    transition_metric = " ".join(f"WHEN {condition} THEN '{metric}'" for metric, condition in TRANSITION_METRICS)
    open_states = _quoted(OPEN_STEPS)
    step = " ".join(f"WHEN '{state}' THEN '{name}'" for state, name in OPEN_STEPS.items())
    return [
        ("cases", f"""
            CREATE TEMP TABLE dash_case AS
            SELECT a.id, a.jurisdiction_id, a.route_id, a.state,
                   {d.local_date('a.submitted_at')} AS received_on,
                   a.clock_started_on AS clock_on, a.due_date,
                   COALESCE(CAST({d.json_text('a.route_snapshot', 'promised_working_days')} AS integer),
                            r.promised_working_days) AS promised,
                   {d.local_date('t.responded_at')} AS responded_on,
                   {d.local_date('t.decided_at')} AS decided_on
            FROM {application} a
            JOIN {route} r ON r.id = a.route_id
            LEFT JOIN (
                SELECT application_id,
                       MIN(CASE WHEN target IN ({_quoted(RESPONSE_STATES)}) THEN at END) AS responded_at,
                       MIN(CASE WHEN target IN ({_quoted(DECISION_STATES)}) THEN at END) AS decided_at
                FROM {transition}
                WHERE target IN ({_quoted(RESPONSE_STATES + DECISION_STATES)}) AND source <> target
                GROUP BY application_id
            ) t ON t.application_id = a.id
            WHERE a.submitted_at IS NOT NULL""", []),
        ("received", f"""
            INSERT INTO {case_count} ({case_columns})
            SELECT {d.month('c.received_on')}, c.jurisdiction_id, c.route_id, 'received', COUNT(*), 0, 0, 0, 0
            FROM dash_case c GROUP BY 1, 2, 3""", []),
        ("responded", f"""
            INSERT INTO {case_count} ({case_columns})
            SELECT {d.month('c.responded_on')}, c.jurisdiction_id, c.route_id, 'responded', COUNT(*),
                   SUM(w1.ordinal - w0.ordinal), 0,
                   SUM(CASE WHEN w1.ordinal - w0.ordinal > %s THEN 1 ELSE 0 END),
                   SUM(CASE WHEN w1.ordinal - w0.ordinal > %s THEN 1 ELSE 0 END)
            FROM dash_case c
            JOIN {wdi} w0 ON w0.date = c.received_on
            JOIN {wdi} w1 ON w1.date = c.responded_on
            GROUP BY 1, 2, 3""", [limits["acceptance"], limits["acceptance"]]),
        ("decided", f"""
            INSERT INTO {case_count} ({case_columns})
            SELECT {d.month('c.decided_on')}, c.jurisdiction_id, c.route_id, 'decided', COUNT(*),
                   SUM(w1.ordinal - w0.ordinal), SUM(c.promised),
                   SUM(CASE WHEN c.decided_on > c.due_date THEN 1 ELSE 0 END),
                   SUM(CASE WHEN w1.ordinal - w0.ordinal > %s THEN 1 ELSE 0 END)
            FROM dash_case c
            JOIN {wdi} w0 ON w0.date = c.clock_on
            JOIN {wdi} w1 ON w1.date = c.decided_on
            GROUP BY 1, 2, 3""", [limits["decision"]]),
        ("transitions", f"""
            INSERT INTO {case_count} ({case_columns})
            SELECT month, jurisdiction_id, route_id, metric, COUNT(*), 0, 0, 0, 0
            FROM (
                SELECT {d.month(d.local_date('t.at'))} AS month, a.jurisdiction_id, a.route_id,
                       CASE {transition_metric} END AS metric
                FROM {transition} t JOIN {application} a ON a.id = t.application_id
                WHERE t.source <> t.target
            ) e
            WHERE metric IS NOT NULL
            GROUP BY 1, 2, 3, 4""", []),
        ("open", f"""
            INSERT INTO {_table(OpenCaseCount)} (jurisdiction_id, route_id, step, cases, overdue, over_legal)
            SELECT jurisdiction_id, route_id, step, COUNT(*), SUM(overdue), SUM(over_legal)
            FROM (
                SELECT c.jurisdiction_id, c.route_id, CASE c.state {step} END AS step,
                       CASE WHEN c.state IN ('submitted', 'resubmitted')
                                 THEN CASE WHEN %s - ws.ordinal > %s THEN 1 ELSE 0 END
                            WHEN c.state IN ('accepted', 'under_review', 'approved')
                                 THEN CASE WHEN c.due_date < %s THEN 1 ELSE 0 END
                            ELSE 0 END AS overdue,
                       CASE WHEN c.state IN ('submitted', 'resubmitted')
                                 THEN CASE WHEN %s - ws.ordinal > %s THEN 1 ELSE 0 END
                            WHEN c.state IN ('accepted', 'under_review')
                                 THEN CASE WHEN %s - wc.ordinal > %s THEN 1 ELSE 0 END
                            ELSE 0 END AS over_legal
                FROM dash_case c
                LEFT JOIN {wdi} ws ON ws.date = CASE WHEN c.state = 'resubmitted'
                                                     THEN COALESCE(c.clock_on, c.received_on) ELSE c.received_on END
                LEFT JOIN {wdi} wc ON wc.date = c.clock_on
                WHERE c.state IN ({open_states})
            ) o
            GROUP BY 1, 2, 3""", ["@today", limits["acceptance"], today, "@today", limits["acceptance"], "@today",
                                   limits["decision"]]),
        ("drop", "DROP TABLE dash_case", []),
        ("follow_ups_open", f"""
            INSERT INTO {_table(OpenCaseCount)} (jurisdiction_id, route_id, step, cases, overdue, over_legal)
            SELECT f.jurisdiction_id, NULL, '{FOLLOW_UP_STEP}', COUNT(*), 0, 0
            FROM {_table(RatingFollowUp)} f WHERE f.status = 'open'
            GROUP BY 1""", []),
        ("corrections", f"""
            INSERT INTO {_table(CorrectionItemCount)}
                (month, jurisdiction_id, route_id, material_code, material_name, items)
            SELECT {d.month(d.local_date('n.issued_at'))}, a.jurisdiction_id, a.route_id,
                   COALESCE({d.item_text('code')}, ''), MAX(COALESCE({d.item_text('name')}, '')), COUNT(*)
            FROM {_table(CorrectionNotice)} n
            JOIN {application} a ON a.id = n.application_id {items_join}
            WHERE {items_are_array}
            GROUP BY 1, 2, 3, 4""", []),
        ("settlements", f"""
            INSERT INTO {_table(SettlementCount)}
                (month, jurisdiction_id, route_id, age_band, education, cases, persons)
            SELECT month, jurisdiction_id, route_id, {_age_band_sql('age')}, education, COUNT(*), SUM(persons)
            FROM (
                SELECT {d.month('g.registered_on')} AS month, a.jurisdiction_id, a.route_id,
                       CASE WHEN {d.is_iso_date(birth)}
                            THEN {d.year('g.registered_on')} - CAST(substr({birth}, 1, 4) AS integer)
                                 - CASE WHEN {d.month_day('g.registered_on')} < substr({birth}, 6, 5) THEN 1 ELSE 0 END
                       END AS age,
                       CASE WHEN {education} IN ({_quoted(EDUCATION_CODES)}) THEN {education}
                            ELSE '{EDUCATION_UNKNOWN}' END AS education,
                       1 + COALESCE(f.followers, 0) AS persons
                FROM {_table(Registration)} g
                JOIN {application} a ON a.id = g.application_id
                LEFT JOIN (SELECT application_id, COUNT(*) AS followers FROM {_table(FamilyMember)}
                           GROUP BY application_id) f ON f.application_id = a.id
            ) s
            GROUP BY 1, 2, 3, 4, 5""", []),
        ("ratings", f"""
            INSERT INTO {_table(RatingCount)} (month, jurisdiction_id, indicator, level, ratings)
            SELECT month, jurisdiction_id, indicator, level, COUNT(*)
            FROM ({indicator_rows}) r
            GROUP BY 1, 2, 3, 4""", []),
        ("follow_ups", f"""
            INSERT INTO {_table(FollowUpCount)} (month, jurisdiction_id, opened, resolved, resolve_working_days)
            SELECT month, jurisdiction_id, SUM(opened), SUM(resolved), SUM(days)
            FROM (
                SELECT {d.month(d.local_date('f.created_at'))} AS month, f.jurisdiction_id,
                       1 AS opened, 0 AS resolved, 0 AS days
                FROM {_table(RatingFollowUp)} f
                UNION ALL
                SELECT {d.month(d.local_date('f.resolved_at'))}, f.jurisdiction_id, 0, 1, w1.ordinal - w0.ordinal
                FROM {_table(RatingFollowUp)} f
                JOIN {wdi} w0 ON w0.date = {d.local_date('f.created_at')}
                JOIN {wdi} w1 ON w1.date = {d.local_date('f.resolved_at')}
                WHERE f.resolved_at IS NOT NULL
            ) x
            GROUP BY 1, 2""", []),
        ("spend", f"""
            INSERT INTO {_table(SpendCount)}
                (month, jurisdiction_id, program_id, payments, amount_fen, recovery_due, recovery_due_fen)
            SELECT {d.month('p.reference_date')}, a.jurisdiction_id, e.program_id, COUNT(*), SUM(p.amount_fen),
                   SUM(CASE WHEN p.recovery_status = 'due' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.recovery_status = 'due' THEN p.amount_fen ELSE 0 END)
            FROM {_table(Payment)} p
            JOIN {_table(Entitlement)} e ON e.id = p.entitlement_id
            JOIN {_table(Registration)} g ON g.id = e.registration_id
            JOIN {application} a ON a.id = g.application_id
            GROUP BY 1, 2, 3""", []),
    ]


AGGREGATES = (SettlementCount, CaseCount, CorrectionItemCount, OpenCaseCount, RatingCount, FollowUpCount, SpendCount,
              WorkingDayIndex)


def _try_lock(cursor) -> bool:
    if connection.vendor != "postgresql":
        return True
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
    return cursor.fetchone()[0]


def dashboard_refresh(*, trigger: str = "beat", requested_by=None, today: date | None = None) -> Refresh:
    """Rebuild every aggregate table as of ``today`` (default: today in Shanghai). Returns the refresh row."""
    today = today or timezone.localdate()
    refresh = Refresh.objects.create(
        trigger=trigger, requested_by=requested_by if getattr(requested_by, "pk", None) else None, as_of=today
    )
    dialect = _dialect()
    rows: dict[str, int] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if not _try_lock(cursor):
                raise RefreshBusyError("另一次统计刷新正在进行")
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '64MB'")
            for model in AGGREGATES:
                model.objects.all().delete()
            first, last = _span(today)
            rows["working_days"] = _working_day_index(first, last)
            today_ordinal = WorkingDayIndex.objects.get(date=today).ordinal
            cursor.execute("DROP TABLE IF EXISTS dash_case")
            for name, sql, params in _statements(dialect, limits=statutory_limits(), today=today):
                cursor.execute(sql, [today_ordinal if p == "@today" else p for p in params])
                rows[name] = max(cursor.rowcount, 0)
            refresh.status, refresh.finished_at, refresh.rows = Refresh.Status.DONE, timezone.now(), rows
            refresh.save(update_fields=["status", "finished_at", "rows"])
    except Exception as error:
        Refresh.objects.filter(pk=refresh.pk).update(
            status=Refresh.Status.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        if not isinstance(error, RefreshBusyError):
            logger.exception("dashboard refresh %s failed", refresh.pk)
        raise
    logger.info("dashboard refresh %s done: %s", refresh.pk, rows)
    return refresh


def last_refresh() -> Refresh | None:
    return Refresh.objects.filter(status=Refresh.Status.DONE).order_by("-finished_at", "-id").first()
