"""What a settler will get (绍柯 二(二)4–5), before applying: programs carry conditions, not route lists.

    python manage.py entitlements --jurisdiction sx.kq --date 2024-03-01 --route kq.graduate < facts.json
    {"programs": [{"code", "name", "entitled", "conditions": [{"label", "ok"}], "amount_fen", "period",
                   "max_periods"}]}

and, per eligible route, the key ``programs`` of the eligibility result (command and API). Bad input:
exit status 2 and ``error: <field>: <message>`` on stderr, as for ``eligibility``.

新增就业高校毕业生 (DESIGN): a college graduate (or returnee) whose first employment after graduation
is in Keqiao and began within the 择业期 (2 years, in the rule) and on or after 2020-02-01.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from policies.eligibility.engine import entitlements_evaluate
from policies.models import SubsidyProgram
from tests.policies.route_spec import with_fact, with_facts
from tests.policies.test_interfaces import PROJECT_DIR, nothing_written, subprocess_env

pytestmark = pytest.mark.django_db

ON = "2024-03-01"
KQ_PROGRAMS = ["kq.anxin", "kq.reward_employer", "kq.reward_settler", "kq.stipend"]

# graduated 30 June 2023, first job in Keqiao from 1 August 2023
NEW_GRADUATE = {
    "birth_date": "2001-05-05", "sex": "F", "education": "bachelor", "general_college": True,
    "graduation_date": "2023-06-30", "hukou": {"in_target": False, "in_target_city": False},
    "professional_title": "junior",
    "employment": {"employed": True, "in_target": True, "contract_months": 12, "started_on": "2023-08-01",
                   "first_after_graduation": True},
    "social_insurance": {"local_months": 6},
    "residence": {"stable_residence_in_target": True, "kind": "rented"},
}
ANXIN_WINDOW = "毕业后择业期（2年）内开始就业"
ANXIN_SINCE = "2020年2月1日（本意见施行之日）及以后开始就业"
FIRST_JOB = "毕业后首次就业"


def programs(facts: dict, route: str = "kq.graduate", on: str = ON, jurisdiction: str = "sx.kq") -> dict:
    result = entitlements_evaluate(facts=facts, jurisdiction=jurisdiction, on=on, route=route)
    return {program["code"]: program for program in result["programs"]}


def failing(program: dict) -> list[str]:
    return [c["label"] for c in program["conditions"] if not c["ok"]]


# --- the command: its contract ---------------------------------------------------------------------
def run_entitlements(stdin: str, *args: str, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("entitlements", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def test_the_command_prints_every_program_in_force_there(monkeypatch):
    status, out, err = run_entitlements(json.dumps(NEW_GRADUATE), "--jurisdiction", "sx.kq", "--date", ON,
                                        "--route", "kq.graduate", monkeypatch=monkeypatch)
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert list(result) == ["programs"]
    assert sorted(p["code"] for p in result["programs"]) == KQ_PROGRAMS
    for program in result["programs"]:
        assert set(program) == {"code", "name", "entitled", "conditions", "amount_fen", "period", "max_periods"}
        assert all(set(c) == {"label", "ok"} for c in program["conditions"])
        assert program["entitled"] is all(c["ok"] for c in program["conditions"])
    anxin = next(p for p in result["programs"] if p["code"] == "kq.anxin")
    assert (anxin["entitled"], anxin["amount_fen"], anxin["period"], anxin["max_periods"]) == (True, 600_000, "year", 3)


def test_a_place_without_programs_gives_an_empty_list(monkeypatch):
    status, out, _ = run_entitlements(json.dumps(NEW_GRADUATE), "--jurisdiction", "jx", "--date", ON,
                                      "--route", "jx.talent", monkeypatch=monkeypatch)
    assert status == 0 and json.loads(out) == {"programs": []}


@pytest.mark.parametrize("stdin, args, field", [
    (json.dumps(NEW_GRADUATE), ["--jurisdiction", "sx.kq", "--date", ON], "route"),
    (json.dumps(NEW_GRADUATE), ["--jurisdiction", "sx.kq", "--date", ON, "--route", "kq.nothing"], "route"),
    (json.dumps(NEW_GRADUATE), ["--jurisdiction", "sx.kq", "--date", ON, "--route", "jx.talent"], "route"),
    (json.dumps(NEW_GRADUATE), ["--jurisdiction", "sx.kq", "--date", "2019-12-31", "--route", "kq.graduate"],
     "route"),  # 绍柯 not yet in force
    (json.dumps(NEW_GRADUATE), ["--jurisdiction", "sx.kq", "--route", "kq.graduate"], "date"),
    (json.dumps(NEW_GRADUATE), ["--date", ON, "--route", "kq.graduate"], "jurisdiction"),
    (json.dumps(NEW_GRADUATE), ["--jurisdiction", "sx.xx", "--date", ON, "--route", "kq.graduate"], "jurisdiction"),
    (json.dumps(with_fact(NEW_GRADUATE, "employment.started_on", "2023-02-30")),
     ["--jurisdiction", "sx.kq", "--date", ON, "--route", "kq.graduate"], "facts.employment.started_on"),
    (json.dumps({**NEW_GRADUATE, "honors": ["hero"]}),
     ["--jurisdiction", "sx.kq", "--date", ON, "--route", "kq.graduate"], "facts.honors.0"),
    ('{"sex": "F"', ["--jurisdiction", "sx.kq", "--date", ON, "--route", "kq.graduate"], "facts"),
], ids=["no-route", "unknown-route", "route-elsewhere", "route-not-in-force", "no-date", "no-jurisdiction",
        "bad-jurisdiction", "bad-started-on", "unknown-honour", "bad-json"])
def test_bad_input_exit_2_naming_the_field_and_nothing_written(stdin, args, field, monkeypatch):
    with nothing_written():
        status, out, err = run_entitlements(stdin, *args, monkeypatch=monkeypatch)
    assert status == 2 and out == ""
    assert err.startswith(f"error: {field}: "), err


def test_a_real_process_exits_2_without_traceback():
    completed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), "entitlements", "--jurisdiction", "sx.kq", "--date", ON,
         "--route", "kq.nothing"],
        input=json.dumps(NEW_GRADUATE).encode(), capture_output=True, cwd=PROJECT_DIR, env=subprocess_env(),
        timeout=120,
    )
    stderr = completed.stderr.decode("utf-8")
    assert completed.returncode == 2 and completed.stdout == b""
    assert stderr.startswith("error: route: ") and "Traceback" not in stderr


# --- the eligibility result: a key per route (backward compatible) ------------------------------------
@pytest.fixture
def api(monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "eligibility", "100000/min")
    return APIClient()


def test_the_api_shows_per_eligible_route_what_settling_would_bring(api):
    response = api.post("/api/v1/eligibility/", {"jurisdiction": "sx.kq", "date": ON, "facts": NEW_GRADUATE},
                        format="json")
    assert response.status_code == 200
    routes = {route["code"]: route for route in response.json()["routes"]}
    for route in routes.values():  # every key of before is still there
        assert {"code", "name", "citation", "eligible", "followers", "conditions", "programs"} <= set(route)
    graduate, title = routes["kq.graduate"], routes["kq.title"]
    assert graduate["eligible"] and title["eligible"]
    expected = entitlements_evaluate(facts=NEW_GRADUATE, jurisdiction="sx.kq", on=ON, route="kq.title")["programs"]
    assert title["programs"] == expected  # the same answer as the command
    assert routes["kq.local_student"]["eligible"] is False and routes["kq.local_student"]["programs"] == []


# --- 安心补贴: 新增就业高校毕业生, whatever the route ------------------------------------------------------
def test_a_title_route_graduate_gets_the_anxin():
    """The 18,000 yuan the route list lost: a fresh graduate with a junior title settling through kq.title."""
    anxin = programs(NEW_GRADUATE, route="kq.title")["kq.anxin"]
    assert anxin["entitled"] is True, failing(anxin)


@pytest.mark.parametrize("route", ["kq.student_intern", "zj.residence", "kq.graduate"])
def test_the_anxin_does_not_depend_on_the_route(route):
    assert programs(NEW_GRADUATE, route=route)["kq.anxin"]["entitled"] is True


def test_a_2005_graduate_employed_for_years_is_not_newly_employed():
    veteran = with_facts(NEW_GRADUATE, {"graduation_date": "2005-07-01", "employment.started_on": "2012-03-01",
                                        "employment.first_after_graduation": False, "birth_date": "1983-01-01"})
    anxin = programs(veteran)["kq.anxin"]
    assert anxin["entitled"] is False
    assert set(failing(anxin)) == {FIRST_JOB, ANXIN_WINDOW, ANXIN_SINCE}


@pytest.mark.parametrize("started_on, ok", [
    ("2025-06-29", True),   # graduation + 2 years − 1 day
    ("2025-06-30", True),   # the second anniversary: still within
    ("2025-07-01", False),  # graduation + 2 years + 1 day
], ids=["2y-1d", "2y", "2y+1d"])
def test_anxin_boundary_the_job_seeking_period_of_two_years(started_on, ok):
    facts = with_fact(NEW_GRADUATE, "employment.started_on", started_on)
    anxin = programs(facts, on="2025-08-01")["kq.anxin"]
    assert anxin["entitled"] is ok
    assert failing(anxin) == ([] if ok else [ANXIN_WINDOW])


@pytest.mark.parametrize("started_on, ok", [("2020-01-31", False), ("2020-02-01", True)])
def test_anxin_boundary_employment_begun_on_or_after_the_notice_took_effect(started_on, ok):
    facts = with_facts(NEW_GRADUATE, {"graduation_date": "2019-06-30", "employment.started_on": started_on})
    anxin = programs(facts, on="2020-03-01")["kq.anxin"]
    assert anxin["entitled"] is ok
    assert failing(anxin) == ([] if ok else [ANXIN_SINCE])


@pytest.mark.parametrize("first, ok", [(True, True), (False, False)], ids=["first-job", "second-job"])
def test_anxin_first_job_versus_second_job(first, ok):
    anxin = programs(with_fact(NEW_GRADUATE, "employment.first_after_graduation", first))["kq.anxin"]
    assert anxin["entitled"] is ok and failing(anxin) == ([] if ok else [FIRST_JOB])


def test_anxin_employed_before_graduation_is_not_newly_employed():
    facts = with_fact(NEW_GRADUATE, "employment.started_on", "2023-03-01")  # before the June graduation
    assert failing(programs(facts)["kq.anxin"]) == [ANXIN_WINDOW]


def test_anxin_a_job_outside_keqiao_does_not_count():
    elsewhere = with_fact(NEW_GRADUATE, "employment.in_target", False)
    assert failing(programs(elsewhere)["kq.anxin"]) == ["在柯桥区用人单位就业"]


def test_anxin_an_overseas_returnee_counts_as_a_graduate():
    returnee = with_facts(NEW_GRADUATE, {"education": "high_school", "overseas_returnee": True})
    assert programs(returnee)["kq.anxin"]["entitled"] is True


def test_the_job_seeking_period_is_a_policy_value_the_admin_edits():
    program = SubsidyProgram.objects.get(code="kq.anxin")
    late = with_fact(NEW_GRADUATE, "employment.started_on", "2026-06-01")  # nearly 3 years after graduation
    assert programs(late, on="2026-07-01")["kq.anxin"]["entitled"] is False
    window = next(c for c in program.conditions if c["label"] == ANXIN_WINDOW)
    window["rule"]["and"][1]["<="][1]["add_years"][1] = 3
    window["label"] = "毕业后择业期（3年）内开始就业"
    program.full_clean()
    program.save()
    assert programs(late, on="2026-07-01")["kq.anxin"]["entitled"] is True


# --- rewards: any settlement into Keqiao guided by a Keqiao employer ------------------------------------
def test_a_reward_on_a_province_route():
    """zj.residence in Keqiao (浙政 一(二)): the employer guided the settlement, so both rewards are due."""
    result = programs(NEW_GRADUATE, route="zj.residence")
    assert result["kq.reward_settler"]["entitled"] and result["kq.reward_employer"]["entitled"]


def test_no_reward_without_a_keqiao_employer():
    result = programs(with_fact(NEW_GRADUATE, "employment.employed", False), route="zj.residence")
    assert not result["kq.reward_settler"]["entitled"] and not result["kq.reward_employer"]["entitled"]


# --- the stipend: students of a Keqiao college from outside the district ----------------------------------
LOCAL_STUDENT = {"birth_date": "2004-09-01", "sex": "M", "hukou": {"in_target": False},
                 "student": {"enrolled": True, "school_in_target": True}}


def test_a_local_student_is_told_of_the_stipend_and_what_the_anxin_still_needs():
    result = programs(LOCAL_STUDENT, route="kq.local_student")
    assert result["kq.stipend"]["entitled"] is True
    assert result["kq.anxin"]["entitled"] is False


# --- the admin: conditions validated like route criteria ------------------------------------------------
@pytest.mark.parametrize("conditions, where", [
    ([{"label": "x", "rule": {"==": [{"var": "employment.startd_on"}, None]}}], "第 1 条.rule"),
    ([{"label": "", "rule": {"!!": [{"var": "employment.employed"}]}}], "第 1 条.label"),
    ([{"label": "x", "rule": {"==": [{"var": "settlement.route"}, "kq.nothing"]}}], "第 1 条.rule"),
    ([], ""),
])
def test_the_admin_refuses_conditions_that_do_not_compile_naming_the_place(admin_client, conditions, where):
    program = SubsidyProgram.objects.get(code="kq.anxin")
    response = admin_client.post(f"/admin/policies/subsidyprogram/{program.pk}/change/", {
        "code": program.code, "name": program.name, "document": program.document_id, "clause": program.clause,
        "jurisdiction": program.jurisdiction_id, "active": "on", "amount_fen": program.amount_fen,
        "period": program.period, "max_periods": program.max_periods, "beneficiary": program.beneficiary,
        "family": program.family, "conditions": json.dumps(conditions, ensure_ascii=False),
        "starts_with": program.starts_with, "stops_with": program.stops_with, "description": program.description,
    })
    assert response.status_code == 200  # the form again, with the error
    errors = str(response.context["adminform"].form.errors["conditions"])
    assert where in errors
    program.refresh_from_db()
    assert program.conditions == SubsidyProgram.objects.get(code="kq.anxin").conditions
    assert len(program.conditions) == 5  # unchanged


def test_a_program_may_read_the_route_settled_by():
    program = SubsidyProgram.objects.get(code="kq.stipend")
    green_channel = {"==": [{"var": "settlement.route"}, "kq.local_student"]}
    program.conditions = [*program.conditions, {"label": "经绿色通道落户", "rule": green_channel}]
    program.full_clean()
    program.save()
    assert programs(LOCAL_STUDENT, route="kq.local_student")["kq.stipend"]["entitled"] is True
    student_intern = with_fact(LOCAL_STUDENT, "student.intern_or_intent_in_target", True)
    assert failing(programs(student_intern, route="kq.student_intern")["kq.stipend"]) == ["经绿色通道落户"]
