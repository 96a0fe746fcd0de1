"""The dashboard's figures computed again, independently: in Python, from the rows the world wrote
(not from the aggregate tables nor their SQL), with the working-day calendar read day by day."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from applications.models import Application, RatingFollowUp, Registration, ServiceRating
from policies.models import WorkingCalendarDay
from subsidies.models import Payment

ACCEPTANCE_LIMIT, DECISION_LIMIT = 5, 20


def local(moment) -> date:
    return timezone.localtime(moment).date()


def month(day: date) -> date:
    return day.replace(day=1)


def working_days_between(first: date, last: date) -> int:
    """Working days after ``first`` up to and including ``last``."""
    exceptions = dict(WorkingCalendarDay.objects.filter(date__gt=first, date__lte=last).values_list("date", "kind"))
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        kind = exceptions.get(day)
        count += (kind == "workday") if kind else day.weekday() < 5
    return count


def age_band(birth: str | None, on: date) -> str:
    if not birth:
        return "unknown"
    born = date.fromisoformat(birth)
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for code, lower, upper in (("under_18", 0, 18), ("18_34", 18, 35), ("35_44", 35, 45), ("45_59", 45, 60),
                               ("60_plus", 60, 999)):
        if lower <= age < upper:
            return code
    return "unknown"


def in_scope(application: Application, places: set[int], first: date, last: date, day: date) -> bool:
    return application.jurisdiction_id in places and first <= month(day) <= last


def settlements(places: set[int], first: date, last: date) -> dict:
    by_route, by_place, by_age, by_education = Counter(), Counter(), Counter(), Counter()
    persons = 0
    for registration in Registration.objects.select_related("application__route", "application__jurisdiction"):
        application = registration.application
        if not in_scope(application, places, first, last, registration.registered_on):
            continue
        key = month(registration.registered_on)
        by_route[(key, application.route.name)] += 1
        by_place[(key, application.jurisdiction.name)] += 1
        by_age[age_band(application.facts.get("birth_date"), registration.registered_on)] += 1
        by_education[application.facts.get("education") or "unknown"] += 1
        persons += 1 + application.family_members.count()
    return {"route": by_route, "place": by_place, "age": by_age, "education": by_education,
            "cases": sum(by_route.values()), "persons": persons}


def _first(transitions, targets) -> date | None:
    moments = [t.at for t in transitions if t.target in targets and t.source != t.target]
    return local(min(moments)) if moments else None


def processing(places: set[int], first: date, last: date) -> dict:
    result = defaultdict(Counter)
    for application in Application.objects.filter(submitted_at__isnull=False).select_related("route").prefetch_related(
            "transitions"):
        if application.jurisdiction_id not in places:
            continue
        transitions = list(application.transitions.all())
        received = local(application.submitted_at)
        route = application.route.name
        if first <= month(received) <= last:
            result["received"][route] += 1
        responded = _first(transitions, {"accepted", "not_accepted", "correction_requested"})
        if responded and first <= month(responded) <= last:
            key = f"{month(responded):%Y-%m}"
            result["responded"][key] += 1
            result["responded_late"][key] += working_days_between(received, responded) > ACCEPTANCE_LIMIT
        decided = _first(transitions, {"approved", "refused"})
        if decided and first <= month(decided) <= last:
            key = f"{month(decided):%Y-%m}"
            days = working_days_between(application.clock_started_on, decided)
            result["decided"][key] += 1
            result["decided_route"][route] += 1
            result["late"][key] += decided > application.due_date
            result["late_route"][route] += decided > application.due_date
            result["over_legal"][key] += days > DECISION_LIMIT
            result["days"][key] += days
            result["days_route"][route] += days
            result["promised"][key] += application.route_snapshot["promised_working_days"]
        for t in transitions:
            if t.source == t.target or not first <= month(local(t.at)) <= last:
                continue
            if t.target == "accepted" and t.actor_id is None:
                result["deemed"][f"{month(local(t.at)):%Y-%m}"] += 1
            if t.target == "correction_requested":
                result["corrections"][route] += 1
                for item in application.correction_notices.get().items:
                    result["materials"][(item["name"], route)] += 1
    return result


def open_work(places: set[int], today: date) -> dict:
    steps = {"submitted": "acceptance", "resubmitted": "acceptance", "correction_requested": "correction",
             "accepted": "review", "under_review": "approval", "approved": "registration"}
    open_, overdue, over_legal = Counter(), Counter(), Counter()
    for application in Application.objects.filter(state__in=steps, jurisdiction_id__in=places):
        step = steps[application.state]
        open_[step] += 1
        if step == "acceptance":
            start = application.clock_started_on if application.state == "resubmitted" else local(
                application.submitted_at)
            late = working_days_between(start, today) > ACCEPTANCE_LIMIT
            overdue[step] += late
            over_legal[step] += late
        elif step != "correction":
            overdue[step] += application.due_date < today
            if step != "registration":
                over_legal[step] += working_days_between(application.clock_started_on, today) > DECISION_LIMIT
    open_["follow_up"] = RatingFollowUp.objects.filter(status="open", jurisdiction_id__in=places).count()
    return {"open": open_, "overdue": overdue, "over_legal": over_legal}


def ratings(places: set[int], first: date, last: date) -> dict:
    levels, overall, good = Counter(), Counter(), Counter()
    for rating in ServiceRating.objects.select_related("application__jurisdiction"):
        if not in_scope(rating.application, places, first, last, local(rating.created_at)):
            continue
        for field in ("overall", "efficiency", "guide_accuracy", "convenience", "ease_of_use"):
            levels[(field, getattr(rating, field))] += 1
        overall[rating.application.jurisdiction.name] += 1
        good[rating.application.jurisdiction.name] += rating.overall > 2
    opened = Counter()
    for follow_up in RatingFollowUp.objects.select_related("jurisdiction"):
        if follow_up.jurisdiction_id in places and first <= month(local(follow_up.created_at)) <= last:
            opened[follow_up.jurisdiction.name] += 1
    return {"levels": levels, "overall": overall, "good": good, "opened": opened}


def spend(places: set[int], first: date, last: date) -> dict:
    payments, fen, due, due_fen = Counter(), Counter(), Counter(), Counter()
    for payment in Payment.objects.select_related("entitlement__program", "entitlement__registration__application"):
        application = payment.entitlement.registration.application
        if not in_scope(application, places, first, last, payment.reference_date):
            continue
        name = payment.entitlement.program.name
        payments[name] += 1
        fen[name] += payment.amount_fen
        if payment.recovery_status == "due":
            due[name] += 1
            due_fen[name] += payment.amount_fen
    return {"payments": payments, "yuan": {k: Decimal(v) / 100 for k, v in fen.items()}, "due": due,
            "due_yuan": {k: Decimal(v) / 100 for k, v in due_fen.items()}}
