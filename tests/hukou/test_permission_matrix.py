"""The permission matrix: role × jurisdiction × endpoint, generated from the URL configuration and the
admin registry, so that no view, API route or admin can be added without saying who may use it.

- ``URLS`` lists every URL pattern outside the admin (DRF routes included) with the status each role
  gets. ``ADMINS`` declares, for every registered ModelAdmin, which roles may view, add, change, delete
  and revert its rows and whether the rows are scoped to a jurisdiction; the expected status of each of
  its views (changelist, add, change, delete, history, version page read and POST, autocomplete) follows
  from that declaration. ``ADMIN_EXTRA_URLS`` lists the admins' own URLs and the admin site's.
- The coverage tests fail on a URL pattern, a registered admin or an admin URL without an entry.
- The world: an applicant ("applicant_own") with a case, its material, notification, appointment,
  rating and follow-up, and a settled person with entitlements, facts, a commitment, a payment and its
  run — all in 柯桥 (sx.kq). Every staff role is tried as a member of staff of sx.kq ("clerk@kq") and of
  Hangzhou ("clerk@hz"), who must not see any of it: rows of another jurisdiction do not exist for them.

Adding a URL: add an ``Url`` row (name, method, path, expected statuses). Adding an admin: add an
``AdminRule`` (who views/adds/changes/deletes/reverts, scoped or global, how to find its test object).
A refused request changes nothing: each request runs in its own savepoint and the counts of the
world's tables are compared around every refused POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.models import (
    Appointment,
    Notification,
    OfficeSlot,
    PersonalDataAccess,
    RatingFollowUp,
    ServiceRating,
    StaffJurisdiction,
)
from applications.services.drafts import application_create, material_add
from applications.services.transitions import application_accept, application_submit
from hukou.roles import roles_sync
from policies.models import Jurisdiction
from subsidies.models import AuditEntry, Commitment, Employer, Entitlement, FactEvent, Payment
from tests.applications.factories import GRADUATE_FACTS, ApplicantFactory, UserFactory, pdf
from tests.subsidies.factories import LOCAL_STUDENT, credit_code, pay, record, settle

STAFF_ROLES = ("clerk", "approver", "registrar", "finance", "finance_approver", "policy_admin", "auditor", "leader",
               "analyst")
PLACES = {"kq": "sx.kq", "hz": "hz"}
NON_STAFF = ("anonymous", "applicant_own", "applicant_other")
ROLES = (*NON_STAFF, *(f"{role}@{place}" for role in STAFF_ROLES for place in PLACES))
KQ = {f"{role}@kq" for role in STAFF_ROLES}
HZ = {f"{role}@hz" for role in STAFF_ROLES}
CASE_STAFF = ("clerk", "approver", "registrar", "auditor")  # hold applications' view permission
SUBSIDY_READERS = ("clerk", "registrar", "finance", "finance_approver", "auditor", "leader")
FACT_RECORDERS = ("clerk", "registrar", "finance")
OFFICE = ("clerk", "approver", "registrar")
EVERY_STAFF_ROLE = STAFF_ROLES


def at(places: tuple[str, ...], roles) -> set[str]:
    return {f"{role}@{place}" for role in roles for place in places}


# --- the world ----------------------------------------------------------------------------------------

@dataclass
class World:
    users: dict
    case: object
    material: object
    notification: object
    settler: object
    entitlement: object
    fact: object
    commitment: object
    payment: object
    run: object
    slot: object
    objects: dict = field(default_factory=dict)
    media_root: object = None


def _build_world() -> World:
    groups = roles_sync()
    users = {"anonymous": None}
    for role in STAFF_ROLES:
        for place, code in PLACES.items():
            user = UserFactory(is_staff=True, username=f"{role}-{place}")
            user.groups.add(groups[role])
            StaffJurisdiction.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=code))
            users[f"{role}@{place}"] = user
    own, other = ApplicantFactory(), ApplicantFactory()
    users["applicant_own"], users["applicant_other"] = own.user, other.user
    clerk = users["clerk@kq"]

    case = application_create(applicant=own, route_code="kq.graduate", jurisdiction_code="sx.kq",
                               facts=GRADUATE_FACTS, on=date(2026, 3, 2))
    for item in case.route.material_checklist:
        if item.get("required", True):
            material_add(application=case, checklist_code=item["code"], upload=pdf())
    application_submit(application_id=case.pk, actor=own.user)
    application_accept(application_id=case.pk, actor=clerk)
    case.refresh_from_db()
    keqiao = Jurisdiction.objects.get(code="sx.kq")
    slot = OfficeSlot.objects.create(jurisdiction=keqiao, office="柯桥区行政服务中心", address="笛扬路 1 号",
                                     starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(hours=1),
                                     capacity=3)
    appointment = Appointment.objects.create(application=case, method="visit", slot=slot, updated_by=own.user)
    rating = ServiceRating.objects.create(application=case, overall=1, efficiency=1, guide_accuracy=1, convenience=1,
                                          ease_of_use=1, comment="太慢", rated_by=own.user)
    followup = RatingFollowUp.objects.create(rating=rating, jurisdiction=keqiao)
    notification = Notification.objects.create(user=own.user, application=case, subject="消息", body="正文")

    registration = settle(route="kq.local_student", facts=LOCAL_STUDENT)
    settler = registration.application.applicant
    fact = record(settler, "graduated", date(2026, 6, 20), actor=clerk)
    run = pay("kq.stipend", "2026-06")
    payment = Payment.objects.get(run=run)
    commitment = Commitment.objects.create(applicant=settler, registration=registration, years=5,
                                           starts_on=date(2026, 3, 2), ends_on=date(2031, 3, 2))
    employer = Employer.objects.create(name="柯桥某公司", uscc=credit_code(7))
    from applications.services.personal_data import Kind, _append

    access = _append(user=clerk, applicant_id=settler.pk, kind=Kind.CASE_PAGE)
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

    world = World(users=users, case=case, material=case.materials.first(), notification=notification,
                  settler=settler, entitlement=payment.entitlement, fact=fact, commitment=commitment,
                  payment=payment, run=run, slot=slot)
    world.objects = {
        "applications.application": case, "applications.officeslot": slot, "applications.appointment": appointment,
        "applications.servicerating": rating, "applications.ratingfollowup": followup,
        "applications.personaldataaccess": access,
        "subsidies.entitlement": payment.entitlement, "subsidies.factevent": fact, "subsidies.commitment": commitment,
        "subsidies.payment": payment, "subsidies.paymentrun": run, "subsidies.employer": employer,
        "subsidies.paymentprogram": run.program, "subsidies.auditentry": AuditEntry.objects.filter(
            target_type="factevent", target_id=fact.pk).first(),
        "auth.user": clerk, "auth.group": Group.objects.first(),
        "django_celery_beat.periodictask": PeriodicTask.objects.first(),
        "django_celery_beat.crontabschedule": PeriodicTask.objects.first().crontab,
        "django_celery_beat.intervalschedule": IntervalSchedule.objects.create(every=5, period="minutes"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(event="sunrise", latitude=30, longitude=120),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(clocked_time=timezone.now()),
        "axes.accessattempt": AccessAttempt.objects.create(username="x", ip_address="127.0.0.1",
                                                           failures_since_start=1),
        "axes.accesslog": AccessLog.objects.create(username="x", ip_address="127.0.0.1"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1"),
    }
    from policies import models as policy_models

    for model in (policy_models.Jurisdiction, policy_models.PolicyDocument, policy_models.SettlementRoute,
                  policy_models.PointsScheme, policy_models.PointsIndicator, policy_models.Honour,
                  policy_models.SubsidyProgram, policy_models.HousingProgram, policy_models.WorkingCalendarDay,
                  policy_models.Indicator, policy_models.Target, policy_models.StatutoryTimeLimit,
                  policy_models.ProgramBudget):
        world.objects[model._meta.label_lower] = model.objects.order_by("pk").first()
    if world.objects["policies.programbudget"] is None:
        world.objects["policies.programbudget"] = policy_models.ProgramBudget.objects.create(
            program=run.program, year=2026, amount_fen=10_000_000, basis="柯桥区 2026 年预算")
    world.objects["policies.indicatorfigure"] = policy_models.IndicatorFigure.objects.create(
        indicator=policy_models.Indicator.objects.get(code="kq.hukou_population"), year=2025, value=1000,
        as_of=date(2025, 12, 31), source="统计年鉴")
    assert all(world.objects.values()), [k for k, v in world.objects.items() if not v]
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end; each test runs in a
    savepoint of it (pytest-django's ``db``)."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            built = _build_world()
            built.media_root = media
            yield built
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def world_media(settings, request):
    """The world's uploaded files stay where it was built (the suite gives each test a fresh folder)."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root


def client_for(role: str, world: World, client):
    user = world.users[role]
    if user is not None:
        client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


# --- expectations: URLs outside the admin --------------------------------------------------------------

def expect(default: int, **overrides: int) -> dict[str, int]:
    """Every role gets ``default`` unless named: a role ("applicant_own"), a staff role at a place
    ("clerk@kq"), every staff role at a place ("kq", "hz") or one role at both places ("clerk")."""
    table = dict.fromkeys(ROLES, default)
    for key, status in overrides.items():
        key = key.replace("__", "@")
        if key in PLACES:
            targets = KQ if key == "kq" else HZ
        elif key == "staff":
            targets = KQ | HZ
        elif key in STAFF_ROLES:
            targets = at(tuple(PLACES), (key,))
        else:
            targets = {key}
        assert targets <= set(ROLES), key
        for role in targets:
            table[role] = status
    return table


def staff(roles, places=("kq", "hz")) -> set[str]:
    return at(places, roles)


def with_roles(table: dict, roles: set[str], status: int) -> dict:
    return {**table, **dict.fromkeys(roles, status)}


@dataclass
class Url:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: dict = field(default_factory=dict)
    json: bool = True


def case_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.case.case_number])


PUBLIC = expect(200)
# applicant pages: anonymous to the login page, staff to "this is for applicants" (403)
APPLICANT_PAGE = expect(403, anonymous=302, applicant_own=200, applicant_other=200)
OWN_CASE_PAGE = expect(403, anonymous=302, applicant_own=200, applicant_other=404)
# the applicant API: anonymous 403 (session auth), someone else's case 404
CASE_READ = with_roles(with_roles(expect(403, applicant_own=200, applicant_other=404),
                                  staff(CASE_STAFF, ("kq",)), 200), staff(CASE_STAFF, ("hz",)), 404)
SUBSIDY_READ = with_roles(expect(403), staff(SUBSIDY_READERS), 200)

URLS = [
    Url("healthz", "get", lambda w: reverse("healthz"), PUBLIC),
    Url("schema", "get", lambda w: reverse("schema"), PUBLIC),
    Url("swagger-ui", "get", lambda w: reverse("swagger-ui"), PUBLIC),
    Url("set_language", "post", lambda w: reverse("set_language"), expect(302), {"language": "zh-hans"}, json=False),
    Url("eligibility", "post", lambda w: reverse("eligibility"), expect(400),
        {"jurisdiction": "sx.kq", "date": "2026-03-02", "facts": {"birth_date": "bad"}}),
    # applications API (the applicant's; case staff read)
    Url("api-applicant", "get", lambda w: reverse("api-applicant"),
        expect(403, applicant_own=200, applicant_other=200)),
    Url("api-applicant", "post", lambda w: reverse("api-applicant"),
        expect(403, applicant_own=400, applicant_other=400)),
    Url("api-application-list", "get", lambda w: reverse("api-application-list"),
        with_roles(expect(403, applicant_own=200, applicant_other=200), staff(CASE_STAFF), 200)),
    Url("api-application-list", "post", lambda w: reverse("api-application-list"),
        expect(403, applicant_own=400, applicant_other=400)),
    Url("api-application-detail", "get", case_url("api-application-detail"), CASE_READ),
    Url("api-application-timeline", "get", case_url("api-application-timeline"), CASE_READ),
    Url("api-material-file", "get", lambda w: reverse("api-material-file", args=[w.material.pk]), CASE_READ),
    Url("api-family-member-create", "post", case_url("api-family-member-create"),
        expect(403, applicant_own=400, applicant_other=404)),
    Url("api-material-upload", "post", case_url("api-material-upload"),
        expect(403, applicant_own=400, applicant_other=404), json=False),
    Url("api-application-submit", "post", case_url("api-application-submit"),
        expect(403, applicant_own=400, applicant_other=404)),
    Url("api-application-resubmit", "post", case_url("api-application-resubmit"),
        expect(403, applicant_own=409, applicant_other=404)),
    Url("api-application-withdraw", "post", case_url("api-application-withdraw"),
        expect(403, applicant_own=200, applicant_other=404)),
    Url("api-notification-list", "get", lambda w: reverse("api-notification-list"), expect(200, anonymous=403)),
    Url("api-notification-read", "post", lambda w: reverse("api-notification-read", args=[w.notification.pk]),
        expect(404, anonymous=403, applicant_own=200)),
    # subsidies API: readers of the subsidies app, rows of their scope; recorders write
    Url("api-subsidy-fact-list", "get", lambda w: reverse("api-subsidy-fact-list"), SUBSIDY_READ),
    Url("api-subsidy-fact-list", "post", lambda w: reverse("api-subsidy-fact-list"),
        with_roles(expect(403), staff(FACT_RECORDERS), 400)),
    Url("api-subsidy-fact-revoke", "post", lambda w: reverse("api-subsidy-fact-revoke", args=[w.fact.pk]),
        with_roles(with_roles(expect(403), staff(FACT_RECORDERS, ("kq",)), 400), staff(FACT_RECORDERS, ("hz",)),
                   404)),
    Url("api-subsidy-entitlement-list", "get", lambda w: reverse("api-subsidy-entitlement-list"), SUBSIDY_READ),
    # searches by ID number: the number in the body (an empty body is a 400 naming the field)
    Url("api-subsidy-fact-search", "post", lambda w: reverse("api-subsidy-fact-search"),
        with_roles(expect(403), staff(SUBSIDY_READERS), 400)),
    Url("api-subsidy-entitlement-search", "post", lambda w: reverse("api-subsidy-entitlement-search"),
        with_roles(expect(403), staff(SUBSIDY_READERS), 400)),
    Url("api-subsidy-run-detail", "get", lambda w: reverse("api-subsidy-run-detail", args=[w.run.pk]),
        with_roles(with_roles(expect(403), staff(SUBSIDY_READERS, ("kq",)), 200), staff(SUBSIDY_READERS, ("hz",)),
                   404)),
    # PDFs: the owner and case staff of the case's jurisdiction
    Url("documents:download", "get", lambda w: reverse("documents:download", args=[w.case.case_number, "receipt"]),
        with_roles(with_roles(expect(404, anonymous=302, applicant_own=200), staff(CASE_STAFF, ("kq",)), 200),
                   set(), 404)),
    # the leaders' dashboard: leaders and analysts, figures of their scope (aggregates, small counts suppressed)
    Url("dashboard:index", "get", lambda w: reverse("dashboard:index"),
        with_roles(expect(403, anonymous=302), staff(("leader", "analyst")), 200)),
    Url("dashboard:export", "get", lambda w: reverse("dashboard:export", args=["all"]),
        with_roles(expect(403, anonymous=302), staff(("leader", "analyst")), 200)),
    Url("dashboard:refresh", "post", lambda w: reverse("dashboard:refresh"),
        with_roles(expect(403, anonymous=302), staff(("analyst",)), 302), json=False),
    # the portal (applicants only; staff are shown the way to the admin)
    Url("portal:home", "get", lambda w: reverse("portal:home"), PUBLIC),
    Url("portal:signup", "get", lambda w: reverse("portal:signup"), expect(302, anonymous=200)),
    Url("portal:login", "get", lambda w: reverse("portal:login"), expect(302, anonymous=200)),
    Url("portal:logout", "post", lambda w: reverse("portal:logout"), expect(302), json=False),
    Url("portal:profile", "get", lambda w: reverse("portal:profile"), APPLICANT_PAGE),
    Url("portal:password_reset", "get", lambda w: reverse("portal:password_reset"), PUBLIC),
    # the SMS-code steps of sign-up and reset: without a first step in the session, back to it
    Url("portal:signup_verify", "get", lambda w: reverse("portal:signup_verify"), expect(302)),
    Url("portal:password_reset_verify", "get", lambda w: reverse("portal:password_reset_verify"), expect(302)),
    Url("portal:password_reset_complete", "get", lambda w: reverse("portal:password_reset_complete"), PUBLIC),
    Url("portal:check", "get", lambda w: reverse("portal:check"), PUBLIC),
    Url("portal:check_result", "get", lambda w: reverse("portal:check_result"), expect(302)),
    Url("portal:apply", "get", lambda w: reverse("portal:apply", args=["kq.graduate"]),
        expect(403, anonymous=302, applicant_own=302, applicant_other=302)),
    Url("portal:cases", "get", lambda w: reverse("portal:cases"), APPLICANT_PAGE),
    Url("portal:case", "get", case_url("portal:case"), OWN_CASE_PAGE),
    Url("portal:family_add", "post", case_url("portal:family_add"),
        expect(403, anonymous=302, applicant_own=400, applicant_other=404), json=False),
    Url("portal:family_remove", "post", lambda w: reverse("portal:family_remove", args=[w.case.case_number, 1]),
        expect(403, anonymous=302, applicant_own=302, applicant_other=404), json=False),
    Url("portal:material_upload", "post", case_url("portal:material_upload"),
        expect(403, anonymous=302, applicant_own=400, applicant_other=404), json=False),
    Url("portal:material_remove", "post",
        lambda w: reverse("portal:material_remove", args=[w.case.case_number, w.material.pk]),
        expect(403, anonymous=302, applicant_own=302, applicant_other=404), json=False),
    Url("portal:submit", "post", case_url("portal:submit"),
        expect(403, anonymous=302, applicant_own=400, applicant_other=404), json=False),
    Url("portal:resubmit", "post", case_url("portal:resubmit"),
        expect(403, anonymous=302, applicant_own=302, applicant_other=404), json=False),
    Url("portal:withdraw", "get", case_url("portal:withdraw"), OWN_CASE_PAGE),
    Url("portal:visit", "get", case_url("portal:visit"), OWN_CASE_PAGE),
    Url("portal:rate", "get", case_url("portal:rate"),
        expect(403, anonymous=302, applicant_own=302, applicant_other=404)),
]


# --- expectations: the admin ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdminRule:
    """Who may do what with one registered admin's rows (roles at sx.kq; at hz the same where the rows
    are global, and nothing on a Keqiao row where they are scoped)."""

    view: tuple = ()
    add: tuple = ()
    change: tuple = ()
    delete: tuple = ()
    revert: tuple = ()
    scoped: bool = True
    unbound: tuple = ()  # roles that see the rows of every jurisdiction although the admin is scoped
    changelist_query: str = ""

    def sees_row(self, role: str) -> bool:
        """Is the Keqiao test row in this role's scope?"""
        name, place = role.split("@")
        return not self.scoped or place == "kq" or name in self.unbound

    def may(self, action: str, role: str, *, row: bool = True) -> bool:
        if role in NON_STAFF:
            return False
        if row and not self.sees_row(role):
            return False
        return role.split("@")[0] in getattr(self, action)


POLICY = AdminRule(view=EVERY_STAFF_ROLE, add=("policy_admin",), change=("policy_admin",),
                   delete=("policy_admin",), revert=("policy_admin",), scoped=False)
READ_ONLY_CASE_ROWS = AdminRule(view=CASE_STAFF)
READ_ONLY_SUBSIDY_ROWS = AdminRule(view=SUBSIDY_READERS)
SUPERUSERS_ONLY = AdminRule(scoped=False)
BEAT = AdminRule(view=("policy_admin",), change=("policy_admin",), revert=(), scoped=False)

ADMINS: dict[str, AdminRule] = {
    **{f"policies.{name}": POLICY for name in (
        "jurisdiction", "policydocument", "settlementroute", "pointsscheme", "pointsindicator", "honour",
        "subsidyprogram", "housingprogram", "workingcalendarday", "indicator", "target", "statutorytimelimit",
        "programbudget")},
    # 年度统计数: analysts enter the figures of their jurisdictions; policy admins edit every jurisdiction's
    "policies.indicatorfigure": AdminRule(view=EVERY_STAFF_ROLE, add=("analyst", "policy_admin"),
                                          change=("analyst", "policy_admin"), delete=("policy_admin",),
                                          revert=("analyst", "policy_admin"), unbound=("policy_admin",)),
    "applications.application": AdminRule(view=CASE_STAFF, changelist_query="?step=all"),
    "applications.officeslot": AdminRule(view=CASE_STAFF, add=OFFICE, change=OFFICE, delete=OFFICE, revert=OFFICE),
    "applications.appointment": READ_ONLY_CASE_ROWS,
    "applications.servicerating": READ_ONLY_CASE_ROWS,
    "applications.ratingfollowup": AdminRule(view=CASE_STAFF, change=OFFICE),
    "applications.personaldataaccess": AdminRule(view=("auditor",)),
    "subsidies.entitlement": READ_ONLY_SUBSIDY_ROWS,
    "subsidies.commitment": READ_ONLY_SUBSIDY_ROWS,
    "subsidies.payment": READ_ONLY_SUBSIDY_ROWS,
    "subsidies.paymentrun": READ_ONLY_SUBSIDY_ROWS,
    "subsidies.paymentprogram": READ_ONLY_SUBSIDY_ROWS,
    "subsidies.auditentry": READ_ONLY_SUBSIDY_ROWS,
    "subsidies.factevent": AdminRule(view=SUBSIDY_READERS, add=FACT_RECORDERS),
    "subsidies.employer": AdminRule(view=SUBSIDY_READERS, add=FACT_RECORDERS, change=FACT_RECORDERS,
                                    revert=FACT_RECORDERS, scoped=False),
    "auth.user": SUPERUSERS_ONLY,
    "auth.group": SUPERUSERS_ONLY,
    "axes.accessattempt": SUPERUSERS_ONLY,
    "axes.accesslog": SUPERUSERS_ONLY,
    "axes.accessfailurelog": SUPERUSERS_ONLY,
    "django_celery_beat.periodictask": BEAT,
    "django_celery_beat.crontabschedule": BEAT,
    "django_celery_beat.intervalschedule": BEAT,
    "django_celery_beat.solarschedule": BEAT,
    "django_celery_beat.clockedschedule": BEAT,
}

LOGIN = "login"  # 302 to the admin's login page (anonymous and applicants)
HIDDEN = "hidden"  # 404, or the admin's "does not exist" redirect to its index
REFUSED = "refused"  # 403, or hidden: a page that looks the row up before it checks the permission


def admin_outcome(rule: AdminRule, view: str, role: str, *, history_model: bool) -> int | str:
    """The admin checks the model permission first and the row's scope second, except on the history
    pages, which look the row up first: out of scope, a row does not exist (404 or the admin's redirect)."""
    if role in NON_STAFF:
        return LOGIN
    reads = rule.may("view", role, row=False) or rule.may("change", role, row=False)
    in_scope = rule.sees_row(role)
    if view == "changelist":
        return 200 if reads else 403
    if view == "add":
        return 200 if rule.may("add", role, row=False) else 403
    if view == "change":
        return (200 if in_scope else HIDDEN) if reads else 403
    if view == "delete":
        return (200 if in_scope else HIDDEN) if rule.may("delete", role, row=False) else 403
    if not in_scope:  # history, version, revert
        return 404 if history_model else HIDDEN
    if view == "history" and not history_model:
        return 200 if reads else REFUSED  # Django's history page finds the row first (cases: only case staff do)
    if view in ("history", "version"):
        return 200 if reads else 403
    if view == "revert":
        return 200 if rule.may("revert", role) else 403
    raise AssertionError(view)


def admin_views(label: str) -> list[str]:
    model_admin = admin.site._registry[_model(label)]
    views = ["changelist", "add", "change", "delete", "history"]
    if hasattr(model_admin, "history_form_view"):
        views += ["version", "revert"]
    return views


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


# --- the admins' own URLs and the admin site's -----------------------------------------------------------

ADMIN_STAFF_PAGE = expect(200, anonymous=302, applicant_own=302, applicant_other=302)
ADMIN_EXTRA_URLS = [
    Url("admin:index", "get", lambda w: reverse("admin:index"), ADMIN_STAFF_PAGE),
    Url("admin:login", "get", lambda w: reverse("admin:login"),
        expect(302, anonymous=200, applicant_own=200, applicant_other=200)),
    Url("admin:logout", "post", lambda w: reverse("admin:logout"), expect(302), json=False),
    Url("admin:password_change", "get", lambda w: reverse("admin:password_change"), ADMIN_STAFF_PAGE),
    Url("admin:password_change_done", "get", lambda w: reverse("admin:password_change_done"), ADMIN_STAFF_PAGE),
    Url("admin:jsi18n", "get", lambda w: reverse("admin:jsi18n"), ADMIN_STAFF_PAGE),
    Url("admin:auth_user_password_change", "get",
        lambda w: reverse("admin:auth_user_password_change", args=[w.users["clerk@kq"].pk]),
        expect(403, anonymous=302, applicant_own=302, applicant_other=302)),
    Url("admin:applications_application_transition", "post",
        lambda w: reverse("admin:applications_application_transition", args=[w.case.pk, "start_review"]),
        with_roles(with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302),
                              staff(CASE_STAFF, ("hz",)), 404), {"clerk@kq"}, 200), json=False),
    Url("admin:applications_application_claim", "post",
        lambda w: reverse("admin:applications_application_claim", args=[w.case.pk]),
        with_roles(with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302),
                              staff(CASE_STAFF, ("hz",)), 404), staff(OFFICE, ("kq",)), 302), json=False),
    Url("admin:applications_application_release", "post",
        lambda w: reverse("admin:applications_application_release", args=[w.case.pk]),
        with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302),
                   staff(CASE_STAFF, ("hz",)), 404), json=False),
    Url("admin:applications_application_material_review", "post",
        lambda w: reverse("admin:applications_application_material_review", args=[w.case.pk, w.material.pk]),
        with_roles(with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302),
                              staff(CASE_STAFF, ("hz",)), 404), {"clerk@kq", "approver@kq"}, 200), json=False),
    Url("admin:applications_application_id_numbers", "post",
        lambda w: reverse("admin:applications_application_id_numbers", args=[w.case.pk]),
        with_roles(with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302),
                              staff(CASE_STAFF, ("hz",)), 404), staff(CASE_STAFF, ("kq",)), 200), json=False),
    Url("admin:subsidies_commitment_employer", "get",
        lambda w: reverse("admin:subsidies_commitment_employer", args=[w.commitment.pk]),
        with_roles(with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302), HZ, 404),
                   staff(FACT_RECORDERS, ("kq",)), 200)),
    Url("admin:applications_personaldataaccess_search", "post",
        lambda w: reverse("admin:applications_personaldataaccess_search"),
        with_roles(expect(403, anonymous=302, applicant_own=302, applicant_other=302), staff(("auditor",)), 302),
        json=False),
]
# Admin URLs every registered admin has (tested through ADMINS) and site URLs tested per app or object.
GENERATED_ADMIN_URL_SUFFIXES = ("_changelist", "_add", "_change", "_delete", "_history", "_simple_history")
SITE_URLS_TESTED_ELSEWHERE = {
    "admin:app_list": "test_app_index_pages_follow_the_view_permissions",
    "admin:autocomplete": "test_autocomplete_lists_only_rows_of_ones_scope",
    "admin:view_on_site": "no registered admin has get_absolute_url; the shortcut answers 404 for every model",
    "admin:None": "the admin's catch-all: 404 (staff) or the login page",
}


# --- coverage: nothing without an entry ---------------------------------------------------------------

def _patterns(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        else:
            yield prefix + str(pattern.pattern), (f"{namespace}:" if namespace else "") + str(pattern.name)


def test_every_url_pattern_has_an_entry():
    listed = {url.name for url in URLS} | {url.name for url in ADMIN_EXTRA_URLS} | set(SITE_URLS_TESTED_ELSEWHERE)
    model_urls = {f"admin:{label.replace('.', '_')}{suffix}" for label in ADMINS for suffix in
                  GENERATED_ADMIN_URL_SUFFIXES}
    missing = sorted(
        f"{route} ({name})" for route, name in _patterns(get_resolver().url_patterns)
        if name not in listed and name not in model_urls
    )
    assert missing == [], "add these URLs to the permission matrix"


def test_every_registered_admin_has_a_rule_and_a_test_object(db, world):
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMINS), "every registered ModelAdmin needs an AdminRule (and no stale ones)"
    assert set(ADMINS) <= set(world.objects)


def test_every_row_shows_every_role():
    for url in URLS + ADMIN_EXTRA_URLS:
        assert set(url.expected) == set(ROLES), url.name


def test_every_history_admin_is_guarded():
    from hukou.admin_base import GuardedHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if hasattr(model_admin, "history_form_view"):
            assert isinstance(model_admin, GuardedHistoryAdmin), model._meta.label


# --- the matrix ---------------------------------------------------------------------------------------------

WORLD_TABLES = (Entitlement, FactEvent, Payment, Commitment, OfficeSlot, RatingFollowUp, PersonalDataAccess)


def _counts() -> tuple:
    from applications.models import Application, ApplicationTransition

    case_states = tuple(Application.objects.order_by("pk").values_list("state", "version"))
    return (*(model.objects.count() for model in WORLD_TABLES), ApplicationTransition.objects.count(), case_states)


def _call(client, url: Url, world: World):
    path = url.path(world)
    if url.method == "get":
        return client.get(path)
    if url.json:
        return client.post(path, url.body, content_type="application/json")
    return client.post(path, url.body)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", URLS + ADMIN_EXTRA_URLS, ids=[f"{u.method}-{u.name}" for u in URLS + ADMIN_EXTRA_URLS])
def test_url(db, client, world, url: Url, role: str):
    client = client_for(role, world, client)
    before = _counts()

    response = _call(client, url, world)

    assert response.status_code == url.expected[role], (url.name, role, response.content[:300])
    if response.status_code in (401, 403, 404, 405) and url.method == "post":
        assert _counts() == before, "a refused call changed something"


def _admin_path(label: str, view: str, world: World) -> str:
    app_label, model_name = label.split(".")
    obj = world.objects[label]
    name = f"admin:{app_label}_{model_name}"
    if view == "changelist":
        return reverse(f"{name}_changelist") + ADMINS[label].changelist_query
    if view == "add":
        return reverse(f"{name}_add")
    if view in ("version", "revert"):
        version = obj.history.order_by("history_id").first()
        return reverse(f"{name}_simple_history", args=[obj.pk, version.history_id])
    return reverse(f"{name}_{view}", args=[obj.pk])


def _admin_params():
    """Every registered admin × every role. For global (unscoped) admins a Hangzhou role sees what the same
    role at Keqiao sees, so there it is tried on the list only."""
    for label in sorted(ADMINS):
        for role in ROLES:
            if role == "applicant_other":
                continue  # the admin treats every non-staff account alike: applicant_own stands for them
            yield pytest.param(label, role, id=f"{label}-{role}")


def _admin_request(client, label: str, view: str, role: str, world: World) -> str | None:
    """One admin view as ``role``: None if it answered as expected, else what went wrong."""
    rule, obj = ADMINS[label], world.objects[label]
    model_admin = admin.site._registry[_model(label)]
    history_model = hasattr(model_admin, "history_form_view")
    expected = admin_outcome(rule, view, role, history_model=history_model and view in ("history", "version",
                                                                                          "revert"))
    path = _admin_path(label, view, world)
    before = _counts()
    versions = obj.history.count() if view == "revert" else None

    response = client.post(path, {}) if view == "revert" else client.get(path)

    status = response.status_code
    where = response.get("Location", "")
    if expected == LOGIN:
        ok = status == 302 and "/admin/login/" in where
    elif expected in (HIDDEN, REFUSED):
        ok = status == 404 or (status == 302 and where == reverse("admin:index")) or (
            expected == REFUSED and status == 403)
    else:
        ok = status == expected
    if not ok:
        return f"{view}: expected {expected}, got {status} {where}"
    if view == "changelist" and status == 200:
        shown = {row.pk for row in response.context_data["cl"].result_list}
        if (obj.pk in shown) != rule.sees_row(role):
            return f"changelist: row {obj.pk} {'shown' if obj.pk in shown else 'not shown'}"
    if view == "revert" and (obj.history.count() != versions or _counts() != before):
        return "revert: a version page POST saved something"
    return None


@pytest.mark.parametrize("label, role", list(_admin_params()))
def test_admin(db, client, world, label: str, role: str):
    obj = world.objects[label]
    views = admin_views(label)
    if role in NON_STAFF:
        views = ["changelist", "change"]
    elif not ADMINS[label].scoped and role.endswith("@hz"):
        views = ["changelist"]
    if "version" in views and not obj.history.exists():
        type(obj).objects.get(pk=obj.pk).save()  # give the row a version to look at
    client = client_for(role, world, client)

    problems = [problem for view in views if (problem := _admin_request(client, label, view, role, world))]

    assert problems == [], (label, role)


def test_app_index_pages_follow_the_view_permissions(db, client, world):
    for role in ROLES:
        client = client_for(role, world, client)
        for app_label in ("policies", "applications", "subsidies", "auth", "axes", "django_celery_beat"):
            status = client.get(reverse("admin:app_list", args=[app_label])).status_code
            models = [label for label in ADMINS if label.startswith(f"{app_label}.")]
            if role in NON_STAFF:
                assert status == 302, (role, app_label)
            else:
                sees = any(ADMINS[label].may("view", role, row=False) or ADMINS[label].may("change", role, row=False)
                           for label in models)
                assert status == (200 if sees else 404), (role, app_label, status)
        client.logout()


def _autocomplete_sources():
    """For each admin with search fields: a foreign key elsewhere that points to its model."""
    from django.apps import apps

    sources = {}
    for model in apps.get_models():
        for fk in model._meta.get_fields():
            if fk.is_relation and fk.many_to_one and fk.concrete and fk.related_model in admin.site._registry:
                target = fk.related_model._meta.label_lower
                if admin.site._registry[fk.related_model].search_fields and target in ADMINS:
                    sources.setdefault(target, (model._meta.app_label, model._meta.model_name, fk.name))
    return sources


def test_autocomplete_lists_only_rows_of_ones_scope(db, client, world):
    sources = _autocomplete_sources()
    assert {"subsidies.employer", "policies.jurisdiction", "subsidies.entitlement"} <= set(sources)
    for label, (app_label, model_name, field_name) in sorted(sources.items()):
        rule, obj = ADMINS[label], world.objects[label]
        for role in ROLES:
            client = client_for(role, world, client)
            response = client.get(reverse("admin:autocomplete"), {
                "app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""})
            if role in NON_STAFF:
                assert response.status_code == 302, (label, role)
            elif rule.may("view", role, row=False) or rule.may("change", role, row=False):
                assert response.status_code == 200, (label, role)
                ids = {row["id"] for row in response.json()["results"]}
                assert (str(obj.pk) in ids) == rule.sees_row(role), (label, role)
            else:
                assert response.status_code == 403, (label, role, response.status_code)
            client.logout()
