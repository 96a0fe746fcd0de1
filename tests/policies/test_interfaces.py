"""The two doors of the eligibility engine give the same answers and refuse the same bad input.

    python manage.py eligibility --jurisdiction CODE --date YYYY-MM-DD < facts.json
    POST /api/v1/eligibility/ {"jurisdiction": …, "date": …, "facts": {…}}

Bad input names the field: exit status 2 with ``error: <field>: message`` on stderr (no traceback),
or HTTP 400 with ``{"<field>": ["message"]}``; either way nothing is written to the database.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from policies.models import (
    Jurisdiction,
    PointsScheme,
    PolicyDocument,
    SettlementRoute,
    WorkingCalendarDay,
)
from tests.policies.helpers import evaluate

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parents[2]
URL = "/api/v1/eligibility/"
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE", "ALTER", "DROP", "MERGE", "COPY")

GRADUATE = {
    "birth_date": "1996-07-15",
    "sex": "F",
    "marital_status": "single",
    "hukou": {"in_target": False, "in_target_city": False, "in_yrd": True},
    "education": "bachelor",
    "general_college": True,
    "graduation_date": "2018-06-30",
    "employment": {"employed": True, "in_target": True, "contract_months": 36},
    "social_insurance": {"local_months": 14, "back_paid_months": 2, "yrd_transferred_months": 5},
    "residence": {"stable_residence_in_target": True, "kind": "rented", "continuous_months": 40, "permit": True},
}
PARENT_JOINING = {
    "birth_date": "1960-02-29",
    "sex": "M",
    "marital_status": "married",
    "residence": {"permit": True, "registration_months": 6, "kind": None},
    "joining": {
        "relation": "parent",
        "sponsor_adult": True,
        "sponsor_hukou_in_target_urban_area": True,
        "sponsor_has_stable_residence": True,
        "cohabiting": True,
    },
}
TECHNICIAN = {
    "birth_date": "1985-03-01",
    "sex": "M",
    "education": "secondary_vocational",
    "graduation_date": "2004-07-01",
    "vocational_level": "level2",
    "honors": ["model_worker"],
    "employment": {"employed": True, "in_target": True, "contract_months": 24},
    "social_insurance": {"local_months": 30},
    "residence": {"stable_residence_in_target": True, "kind": "owned"},
    "points": {"income_tax": 12000, "residence_years": 3.5},
    "joining": None,
}
MINIMAL = {"birth_date": "2004-01-01", "sex": "F"}

SAME_RESULT_CASES = [
    ("sx.kq", "2024-03-01", GRADUATE),
    ("sx.kq", "2021-05-10", TECHNICIAN),
    ("hz.city", "2024-03-01", GRADUATE),
    ("hz.city", "2025-02-28", TECHNICIAN),
    ("hz.city", "2020-01-01", MINIMAL),  # before the Hangzhou notice: no route in force
    ("jx", "2024-03-01", PARENT_JOINING),
    ("jx", "2022-11-30", TECHNICIAN),
    ("hz.tonglu", "2024-03-01", GRADUATE),
    ("hz.jiande", "2023-07-07", MINIMAL),
]


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    """The public endpoint is throttled per client address; these tests post far more than a visitor."""
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "eligibility", "100000/min")


@pytest.fixture
def api():
    return APIClient()  # anonymous: the self-check is public


# --- the two interfaces -----------------------------------------------------------------------
def run_command(stdin: str, *, jurisdiction: str | None = "sx.kq", date: str | None = "2024-03-01",
                monkeypatch) -> tuple[int, str, str]:
    """call_command with stdin patched: (exit status, stdout, stderr)."""
    args = []
    if jurisdiction is not None:
        args += ["--jurisdiction", jurisdiction]
    if date is not None:
        args += ["--date", date]
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("eligibility", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def post(api, payload, **extra):
    return api.post(URL, payload, format="json", **extra)


def subprocess_env() -> dict[str, str]:
    """The environment of a real ``manage.py`` process that reads the test database (seeded by the
    migrations, committed: it is visible outside this test's transaction)."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("a separate process can only share the test database on PostgreSQL")
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{credentials}@{host}{port}/{db['NAME']}"
    env.setdefault("SECRET_KEY", "test")
    env["DJANGO_SETTINGS_MODULE"] = "hukou.settings"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_process(stdin: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), "eligibility", *args],
        input=stdin, capture_output=True, cwd=PROJECT_DIR, env=subprocess_env(), timeout=120,
    )


# --- "nothing is written" ---------------------------------------------------------------------
WATCHED_MODELS = (
    Jurisdiction,
    PolicyDocument,
    SettlementRoute,
    SettlementRoute.history.model,
    PointsScheme,
    WorkingCalendarDay,
    get_user_model(),
    Session,
)


def row_counts() -> dict[str, int]:
    return {model._meta.db_table: model.objects.count() for model in WATCHED_MODELS}


@contextmanager
def nothing_written(*, capture: bool = True):
    """No write statement runs inside the block (when it runs in this process) and the row counts
    of the policy, history, user and session tables do not move."""
    before = row_counts()
    if capture:
        with CaptureQueriesContext(connection) as queries:
            yield
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITE_VERBS)]
        assert writes == []
    else:
        yield
    assert row_counts() == before


def test_nothing_written_notices_a_write():
    """The guard itself: a write inside it fails."""
    with pytest.raises(AssertionError), nothing_written():
        Jurisdiction.objects.create(code="zz", name="测试", level="province")


# --- same input, same answer ------------------------------------------------------------------
@pytest.mark.parametrize(("jurisdiction", "day", "facts"), SAME_RESULT_CASES)
def test_command_and_api_give_the_same_result(jurisdiction, day, facts, api, monkeypatch):
    with nothing_written():
        status, out, err = run_command(json.dumps(facts), jurisdiction=jurisdiction, date=day,
                                       monkeypatch=monkeypatch)
        response = post(api, {"jurisdiction": jurisdiction, "date": day, "facts": facts})
    assert (status, err) == (0, "")
    assert response.status_code == 200, response.content
    from_command = json.loads(out)
    assert from_command == response.json()
    assert from_command == json.loads(json.dumps(evaluate(facts, jurisdiction, day)))
    assert from_command["jurisdiction"] == jurisdiction and from_command["date"] == day


def test_same_result_case_shapes(api):
    """Every route carries what the contract promises, and the cases above are not all trivially empty."""
    seen_eligible = False
    for jurisdiction, day, facts in SAME_RESULT_CASES:
        body = post(api, {"jurisdiction": jurisdiction, "date": day, "facts": facts}).json()
        for route in body["routes"]:
            assert set(route) >= {"code", "name", "citation", "eligible", "followers", "conditions"}
            assert route["eligible"] is all(condition["ok"] for condition in route["conditions"])
            seen_eligible = seen_eligible or route["eligible"]
    assert seen_eligible


def test_real_process_gives_the_same_result(api):
    facts = GRADUATE
    completed = run_process(json.dumps(facts).encode(), "--jurisdiction", "sx.kq", "--date", "2024-03-01")
    assert completed.returncode == 0, completed.stderr.decode()
    response = post(api, {"jurisdiction": "sx.kq", "date": "2024-03-01", "facts": facts})
    assert json.loads(completed.stdout) == response.json()


def test_api_is_public_and_takes_no_session(api):
    with nothing_written():
        response = post(api, {"jurisdiction": "jx", "date": "2024-03-01", "facts": MINIMAL})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


# --- bad input, both interfaces -----------------------------------------------------------------
def with_(base: dict, **changes) -> dict:
    facts = json.loads(json.dumps(base))
    for key, value in changes.items():
        facts[key] = value
    return facts


def without(base: dict, key: str) -> dict:
    facts = dict(base)
    facts.pop(key)
    return facts


# (id, jurisdiction, date, facts, the field the error must name, text the message must contain)
BAD_INPUT = [
    ("month-13", "sx.kq", "2024-13-01", GRADUATE, "date", "2024-13-01"),
    ("30-february", "sx.kq", "2024-02-30", GRADUATE, "date", "2024-02-30"),
    ("basic-iso-format", "sx.kq", "20240301", GRADUATE, "date", "20240301"),
    ("date-with-time", "sx.kq", "2024-03-01T00:00", GRADUATE, "date", "2024-03-01T00:00"),
    ("date-with-space", "sx.kq", " 2024-03-01", GRADUATE, "date", ""),
    ("unknown-jurisdiction", "sx.nowhere", "2024-03-01", GRADUATE, "jurisdiction", "sx.nowhere"),
    ("jurisdiction-with-space", "sx.kq ", "2024-03-01", GRADUATE, "jurisdiction", ""),
    ("upper-case-jurisdiction", "SX.KQ", "2024-03-01", GRADUATE, "jurisdiction", "SX.KQ"),
    ("missing-birth-date", "sx.kq", "2024-03-01", without(GRADUATE, "birth_date"), "facts.birth_date", ""),
    ("missing-sex", "sx.kq", "2024-03-01", without(GRADUATE, "sex"), "facts.sex", ""),
    ("sex-enum", "sx.kq", "2024-03-01", with_(GRADUATE, sex="X"), "facts.sex", "X"),
    ("education-enum", "hz.city", "2024-03-01", with_(GRADUATE, education="bachlor"), "facts.education", "bachlor"),
    ("unknown-top-level-key", "sx.kq", "2024-03-01", with_(GRADUATE, salary=9000), "facts.salary", ""),
    ("unknown-nested-key", "sx.kq", "2024-03-01",
     with_(GRADUATE, employment={"employed": True, "salary": 9000}), "facts.employment.salary", ""),
    ("unknown-joining-key", "jx", "2024-03-01",
     with_(PARENT_JOINING, joining={"relation": "parent", "sponsor_age": 30}), "facts.joining.sponsor_age", ""),
    ("negative-months", "sx.kq", "2024-03-01",
     with_(GRADUATE, social_insurance={"local_months": -1}), "facts.social_insurance.local_months", "-1"),
    ("months-as-string", "sx.kq", "2024-03-01",
     with_(GRADUATE, employment={"contract_months": "12"}), "facts.employment.contract_months", "12"),
    ("months-as-fraction", "sx.kq", "2024-03-01",
     with_(GRADUATE, employment={"contract_months": 12.5}), "facts.employment.contract_months", "12.5"),
    ("boolean-as-string", "sx.kq", "2024-03-01",
     with_(GRADUATE, general_college="yes"), "facts.general_college", "yes"),
    ("object-as-list", "sx.kq", "2024-03-01", with_(GRADUATE, hukou=[]), "facts.hukou", ""),
    ("graduation-date-format", "jx", "2024-03-01",
     with_(GRADUATE, graduation_date="2018/06/30"), "facts.graduation_date", "2018/06/30"),
    ("graduation-date-impossible", "jx", "2024-03-01",
     with_(GRADUATE, graduation_date="2018-02-30"), "facts.graduation_date", "2018-02-30"),
    ("birth-date-format", "jx", "2024-03-01",
     with_(GRADUATE, birth_date="15/07/1996"), "facts.birth_date", "15/07/1996"),
    ("birth-after-evaluation-date", "sx.kq", "2024-03-01",
     with_(GRADUATE, birth_date="2024-03-02"), "facts.birth_date", ""),
    ("duplicate-honor", "sx.kq", "2024-03-01",
     with_(GRADUATE, honors=["model_worker", "model_worker"]), "facts.honors", ""),
    ("unknown-honor", "sx.kq", "2024-03-01", with_(GRADUATE, honors=["hero"]), "facts.honors.0", "hero"),
    ("malformed-honor", "sx.kq", "2024-03-01", with_(GRADUATE, honors=["Model Worker"]), "facts.honors.0", ""),
    ("unknown-points-code", "hz.city", "2024-03-01",
     with_(GRADUATE, points={"income_tax": 100, "lottery": 1}), "facts.points.lottery", ""),
    ("points-value-not-a-number", "hz.city", "2024-03-01",
     with_(GRADUATE, points={"income_tax": "100"}), "facts.points.income_tax", "100"),
    ("facts-a-list", "sx.kq", "2024-03-01", [GRADUATE], "facts", ""),
    ("facts-a-string", "sx.kq", "2024-03-01", json.dumps(GRADUATE), "facts", ""),
    ("facts-a-number", "sx.kq", "2024-03-01", 42, "facts", ""),
    ("facts-empty-object", "sx.kq", "2024-03-01", {}, "facts.birth_date", ""),
]


@pytest.mark.parametrize(
    ("jurisdiction", "day", "facts", "field", "mentions"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_refused_alike_by_both_interfaces(jurisdiction, day, facts, field, mentions, api, monkeypatch):
    with nothing_written():
        status, out, err = run_command(json.dumps(facts), jurisdiction=jurisdiction, date=day,
                                       monkeypatch=monkeypatch)
        response = post(api, {"jurisdiction": jurisdiction, "date": day, "facts": facts})

    assert status == 2 and out == ""
    assert err.startswith(f"error: {field}: "), err
    assert err.count("\n") == 1 and "Traceback" not in err
    message = err[len(f"error: {field}: "):].strip()
    assert message and mentions in message

    assert response.status_code == 400, response.content
    assert response.json() == {field: [message]}  # the same field, the same words


def test_missing_date_is_named_by_both_interfaces(api, monkeypatch):
    with nothing_written():
        status, out, err = run_command(json.dumps(GRADUATE), date=None, monkeypatch=monkeypatch)
        response = post(api, {"jurisdiction": "sx.kq", "facts": GRADUATE})
    assert (status, out) == (2, "")
    assert err.startswith("error: date: ") and "Traceback" not in err
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["date"] and len(body["date"]) == 1 and body["date"][0]


def test_missing_jurisdiction_is_named_by_both_interfaces(api, monkeypatch):
    with nothing_written():
        status, out, err = run_command(json.dumps(GRADUATE), jurisdiction=None, monkeypatch=monkeypatch)
        response = post(api, {"date": "2024-03-01", "facts": GRADUATE})
    assert (status, out) == (2, "")
    assert err.startswith("error: jurisdiction: ")
    assert response.status_code == 400 and list(response.json()) == ["jurisdiction"]


@pytest.mark.parametrize(("date_value", "field"), [(None, "date"), ("", "date"), (20240301, "date"), ([], "date")])
def test_api_refuses_a_date_that_is_not_a_date_string(api, date_value, field):
    with nothing_written():
        response = post(api, {"jurisdiction": "sx.kq", "date": date_value, "facts": GRADUATE})
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_missing_or_null_facts(api, monkeypatch):
    with nothing_written():
        missing = post(api, {"jurisdiction": "sx.kq", "date": "2024-03-01"})
        null = post(api, {"jurisdiction": "sx.kq", "date": "2024-03-01", "facts": None})
        status, out, err = run_command("null", monkeypatch=monkeypatch)
        empty_status, _, empty_err = run_command("", monkeypatch=monkeypatch)
    assert missing.status_code == 400 and list(missing.json()) == ["facts"]
    assert null.status_code == 400 and list(null.json()) == ["facts"]
    assert (status, out) == (2, "") and err.startswith("error: facts: ")
    assert empty_status == 2 and empty_err.startswith("error: facts: ")


@pytest.mark.parametrize(
    "raw",
    ['{"birth_date": "1990-01-01", "sex": "M"', "{'birth_date': '1990-01-01'}", "not json", "",
     '{"birth_date": "1990-01-01", "sex": "M", "points": {"income_tax": NaN}}',
     '{"birth_date": "1990-01-01", "sex": "M", "points": {"income_tax": Infinity}}'],
    ids=["truncated", "single-quotes", "text", "empty", "nan", "infinity"],
)
def test_command_refuses_invalid_json_on_stdin(raw, monkeypatch):
    with nothing_written():
        status, out, err = run_command(raw, monkeypatch=monkeypatch)
    assert (status, out) == (2, "")
    assert err.startswith("error: facts: ") and "JSON" in err and "Traceback" not in err


def test_api_refuses_a_body_that_is_not_json(api):
    with nothing_written():
        response = api.generic("POST", URL, data='{"jurisdiction": "sx.kq", "date": ', content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["detail"]  # no field to name: the request itself is unreadable


def test_numbers_beyond_json_are_refused_by_both(api, monkeypatch):
    """1e400 reads as infinity in Python: a points value must be a finite number. The engine names the
    value; the API's JSON field refuses it before (DRF serialises strictly), naming the facts."""
    facts = '{"birth_date": "1990-01-01", "sex": "M", "points": {"income_tax": 1e400}}'
    body = f'{{"jurisdiction": "hz.city", "date": "2024-03-01", "facts": {facts}}}'
    with nothing_written():
        response = api.generic("POST", URL, data=body, content_type="application/json")
        status, _, err = run_command(facts, jurisdiction="hz.city", monkeypatch=monkeypatch)
    assert status == 2 and err.startswith("error: facts.points.income_tax: ")
    assert response.status_code == 400 and list(response.json()) == ["facts"]


def test_first_error_wins_in_a_fixed_order(api, monkeypatch):
    """With several faults the date is named first, then the jurisdiction, then the facts."""
    facts = with_(GRADUATE, sex="X")
    for day, jurisdiction, field in [("2024-13-01", "nowhere", "date"), ("2024-03-01", "nowhere", "jurisdiction")]:
        status, _, err = run_command(json.dumps(facts), jurisdiction=jurisdiction, date=day, monkeypatch=monkeypatch)
        response = post(api, {"jurisdiction": jurisdiction, "date": day, "facts": facts})
        assert status == 2 and err.startswith(f"error: {field}: ")
        assert list(response.json()) == [field]


# --- a real process: exit status 2 and no traceback -------------------------------------------
@pytest.mark.parametrize(
    ("stdin", "args", "field"),
    [
        (json.dumps(GRADUATE).encode(), ["--jurisdiction", "sx.kq", "--date", "2024-02-30"], "date"),
        (json.dumps(GRADUATE).encode(), ["--jurisdiction", "sx.kq"], "date"),
        (json.dumps(with_(GRADUATE, sex="X")).encode(), ["--jurisdiction", "sx.kq", "--date", "2024-03-01"],
         "facts.sex"),
        (b'{"birth_date": "1990-01-01",', ["--jurisdiction", "sx.kq", "--date", "2024-03-01"], "facts"),
        (b'{"birth_date": "1990-01-01", "sex": "\xff"}', ["--jurisdiction", "sx.kq", "--date", "2024-03-01"],
         "facts"),
    ],
    ids=["bad-date", "missing-date", "bad-sex", "invalid-json", "not-utf8"],
)
def test_real_process_exits_2_without_traceback(stdin, args, field):
    before = row_counts()
    completed = run_process(stdin, *args)
    stderr = completed.stderr.decode("utf-8")
    assert completed.returncode == 2, stderr
    assert completed.stdout == b""
    assert "Traceback" not in stderr
    assert stderr.startswith(f"error: {field}: ") and stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert row_counts() == before


# --- OpenAPI ----------------------------------------------------------------------------------
def test_eligibility_is_in_the_openapi_schema(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"][URL]["post"]
    assert {} in operation["security"]  # anonymous callers are allowed
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = schema["components"]["schemas"][request_ref.rsplit("/", 1)[1]]
    assert set(request_schema["required"]) == {"jurisdiction", "date", "facts"}
    assert {"200", "400"} <= set(operation["responses"])
    result_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    result_schema = schema["components"]["schemas"][result_ref.rsplit("/", 1)[1]]
    assert {"jurisdiction", "date", "routes"} <= set(result_schema["properties"])
