"""A small, varied world for the dashboard tests, written straight into the tables (the applications and
subsidies services have tests of their own; here only what they leave behind matters): cases of three
jurisdictions and several routes, each with its transition rows at chosen moments, registrations with
followers, correction notices, ratings with follow-ups, payments. Deterministic (seeded)."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from applications.models import (
    Applicant,
    Application,
    ApplicationTransition,
    CorrectionNotice,
    FamilyMember,
    RatingFollowUp,
    Registration,
    ServiceRating,
)
from policies.models import Jurisdiction, SettlementRoute, SubsidyProgram
from policies.services.calendar import add_working_days
from subsidies.models import Entitlement, Payment, PaymentRun
from tests.applications.factories import UserFactory, id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROUTES = {
    "sx.kq": ["kq.graduate", "kq.vocational", "kq.title"],
    "jx": ["jx.talent", "jx.owned_residence"],
    "hz.city": ["hz.college_graduate", "hz.points"],
}
EDUCATION = ["bachelor", "master", "junior_college", "secondary_vocational", "high_school", "doctor", None]
PATHS = ["registered", "registered", "registered", "deemed_registered", "corrected_registered", "refused",
         "not_accepted", "withdrawn", "open_submitted", "open_accepted", "open_review", "open_approved",
         "open_correction", "draft"]
_numbers = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI)


@dataclass
class World:
    cases: list[Application] = field(default_factory=list)
    today: date = date(2026, 11, 20)


def _applicant() -> Applicant:
    """An applicant with an account that cannot log in (no password hashing: the world is big)."""
    n = next(_numbers)
    user = get_user_model().objects.create(username=f"world-applicant-{n}", password="!")
    return Applicant.objects.create(user=user, real_name="申请人", id_number=id_number(), phone="13800000000")


def _facts(rng: random.Random) -> dict:
    birth = date(rng.randint(1955, 2009), rng.randint(1, 12), rng.randint(1, 28))
    facts = {"birth_date": birth.isoformat(), "sex": rng.choice("MF"), "hukou": {"in_target_city": False}}
    education = rng.choice(EDUCATION)
    if education:
        facts["education"] = education
    return facts


def _move(transitions: list, application, day: date, name: str, source: str, target: str, actor, hour: int = 10):
    transitions.append((ApplicationTransition(application=application, transition=name, source=source,
                                              target=target, actor=actor), at(day, hour)))


def build_world(*, cases: int = 140, seed: int = 13, today: date = date(2026, 11, 20)) -> World:
    rng = random.Random(seed)
    staff = UserFactory(is_staff=True, username=f"world-staff-{seed}")
    places = {j.code: j for j in Jurisdiction.objects.filter(code__in=ROUTES)}
    routes = {r.code: r for r in SettlementRoute.objects.filter(code__in=sum(ROUTES.values(), []))}
    world = World(today=today)
    transitions, registrations, notices, ratings, follow_ups, family = [], [], [], [], [], []
    for n in range(cases):
        place = rng.choice(list(ROUTES))
        route = routes[rng.choice(ROUTES[place])]
        path = PATHS[n % len(PATHS)] if n < len(PATHS) else rng.choice(PATHS)
        received = date(2025, 1, 2) + timedelta(days=rng.randint(0, (today - date(2025, 1, 2)).days - 40))
        if path.startswith("open"):
            received = today - timedelta(days=rng.randint(1, 40))
        application = Application.objects.create(
            case_number=f"T-DASH-{next(_numbers):06d}", applicant=_applicant(), route=route,
            jurisdiction=places[place], facts=_facts(rng), state="draft",
            route_snapshot={"promised_working_days": route.promised_working_days, "code": route.code},
        )
        world.cases.append(application)
        if path == "draft":
            continue
        moves: list = []
        application.submitted_at = at(received, 9)
        _move(moves, application, received, "submit", "draft", "submitted", application.applicant.user, 9)
        clock = received
        state = "submitted"
        day = received
        if path == "not_accepted":
            day = add_working_days(received, rng.randint(1, 8))
            _move(moves, application, day, "not_accept", "submitted", "not_accepted", staff)
            state = "not_accepted"
        elif path == "open_submitted":
            pass
        elif path in ("corrected_registered", "open_correction"):
            day = add_working_days(received, rng.randint(1, 7))
            _move(moves, application, day, "request_correction", "submitted", "correction_requested", staff)
            notices.append((CorrectionNotice(application=application, issued_by=staff, items=[
                {"code": code, "name": name, "reason": "不清晰"}
                for code, name in rng.sample([("id_card", "身份证"), ("diploma", "毕业证书"),
                                              ("contract", "劳动合同"), ("hukou_book", "户口簿")], rng.randint(1, 3))
            ]), at(day, 11)))
            state = "correction_requested"
            if path == "corrected_registered":
                day = day + timedelta(days=rng.randint(1, 10))
                _move(moves, application, day, "resubmit", state, "resubmitted", application.applicant.user)
                clock, state = day, "resubmitted"
        if path in ("registered", "deemed_registered", "corrected_registered", "refused", "withdrawn",
                    "open_accepted", "open_review", "open_approved"):
            deemed = path == "deemed_registered"
            day = add_working_days(clock, 6 if deemed else rng.randint(0, 6))
            if deemed:  # the system's job, as of the day of receipt
                _move(moves, application, day, "deem_accept", state, "accepted", None, 1)
            else:
                _move(moves, application, day, "accept", state, "accepted", staff)
                _move(moves, application, day, "claim", "accepted", "accepted", staff, 12)  # not an event
            clock = received if deemed else day
            state = "accepted"
            if path == "withdrawn":
                day = day + timedelta(days=rng.randint(0, 5))
                _move(moves, application, day, "withdraw", state, "withdrawn", application.applicant.user, 15)
                state = "withdrawn"
            elif path != "open_accepted":
                day = add_working_days(day, rng.randint(0, 3))
                _move(moves, application, day, "start_review", state, "under_review", staff, 14)
                state = "under_review"
                if path != "open_review":
                    day = add_working_days(day, rng.randint(0, 25))
                    if path == "refused":
                        _move(moves, application, day, "refuse", state, "refused", staff, 16)
                        state = "refused"
                    else:
                        _move(moves, application, day, "approve", state, "approved", staff, 16)
                        state = "approved"
                        if path != "open_approved":
                            day = day + timedelta(days=rng.randint(0, 9))
                            _move(moves, application, day, "register", state, "registered", staff, 17)
                            state = "registered"
                            registrations.append(Registration(
                                application=application, registered_on=day, address_type="talent_collective",
                                address="人才专户", registrar=staff))
                            for k in range(rng.choice([0, 0, 1, 2])):
                                family.append(FamilyMember(application=application, relation="child",
                                                           real_name=f"随迁{k}", id_number=id_number()))
        Application.objects.filter(pk=application.pk).update(  # the state field is protected: set it in SQL
            state=state, submitted_at=application.submitted_at, clock_started_on=clock,
            due_date=add_working_days(clock, route.promised_working_days))
        transitions.extend(moves)
        if state in ("registered", "refused", "not_accepted") and rng.random() < 0.7:
            levels = [rng.choice([5, 5, 4, 4, 3, 2, 1]) for _ in range(5)]
            rating = ServiceRating(application=application, overall=levels[0], efficiency=levels[1],
                                   guide_accuracy=levels[2], convenience=levels[3], ease_of_use=levels[4],
                                   rated_by=application.applicant.user)
            rated = day + timedelta(days=rng.randint(0, 5))
            ratings.append((rating, at(min(rated, today), 20)))
    _save_timed(transitions, "at")
    _save_timed(notices, "issued_at")
    Registration.objects.bulk_create(registrations)
    FamilyMember.objects.bulk_create(family)
    _save_timed(ratings, "created_at")
    for rating, rated_at in ratings:
        if rating.is_poor:
            resolved = rng.random() < 0.5
            follow_ups.append((RatingFollowUp(
                rating=rating, jurisdiction_id=rating.application.jurisdiction_id,
                status="resolved" if resolved else "open", resolution="已回访" if resolved else "",
                resolved_at=min(rated_at + timedelta(days=rng.randint(1, 20)), at(today, 8)) if resolved else None,
                resolved_by=staff if resolved else None), rated_at + timedelta(hours=1)))
    _save_timed(follow_ups, "created_at")
    _payments(world, rng, staff)
    return world


def _save_timed(pairs: list, field_name: str) -> None:
    """Create the rows, then give each its moment (auto_now_add fields take "now" on create)."""
    if not pairs:
        return
    model = type(pairs[0][0])
    objects = model.objects.bulk_create([obj for obj, _when in pairs])
    for obj, (_original, when) in zip(objects, pairs, strict=True):
        setattr(obj, field_name, when)
    model.objects.bulk_update(objects, [field_name])


def _payments(world: World, rng: random.Random, staff) -> None:
    """Stipend payments for the Keqiao settlers (a few flagged for recovery), in 2025 and 2026."""
    program = SubsidyProgram.objects.get(code="kq.stipend")
    runs = {}
    keqiao = Registration.objects.filter(application__in=world.cases, application__jurisdiction__code="sx.kq")
    for registration in keqiao:
        applicant = registration.application.applicant
        entitlement = Entitlement.objects.create(
            program=program, applicant=applicant, registration=registration, beneficiary="settler",
            family=program.family, period_kind="month", amount_fen=program.amount_fen, max_periods=6,
            starts_on=registration.registered_on)
        first = registration.registered_on.replace(day=1)
        for k in range(rng.randint(0, 4)):
            month = date(first.year + (first.month + k) // 12, (first.month + k) % 12 + 1, 1)
            if month >= world.today.replace(day=1):
                break
            key = f"{month:%Y-%m}"
            if key not in runs:
                runs[key] = PaymentRun.objects.create(program=program, period=key, reference_date=month,
                                                      chunk_size=1000, status="completed")
            last_day = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            Payment.objects.create(
                entitlement=entitlement, run=runs[key], period=key, reference_date=last_day, applicant=applicant,
                family=program.family, amount_fen=program.amount_fen,
                recovery_status="due" if rng.random() < 0.15 else "none")
