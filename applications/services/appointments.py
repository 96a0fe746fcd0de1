"""最多跑一次: book the single visit to the office, or choose postal delivery of the result.

Capacity is taken by one conditional UPDATE (``booked < capacity``): PostgreSQL re-checks the
condition on the newest row version after waiting for a concurrent booking, so a slot is never
overfilled however many requests arrive at once (and a check constraint backs it up).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from applications.errors import ApplicationError, ConflictError
from applications.models import Application, ApplicationState, ApplicationTransition, Appointment, OfficeSlot
from applications.models.applicants import phone_validator
from applications.services.notifications import notification_create

S = ApplicationState

# From acceptance until the settler is registered the case may book (or change) its one visit.
BOOKABLE_STATES = (S.ACCEPTED, S.CORRECTION_REQUESTED, S.RESUBMITTED, S.UNDER_REVIEW, S.APPROVED)


def _locked_case(application_id: int, actor) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("applicant")
        .filter(pk=application_id).first()
    )
    if application is None:
        raise ApplicationError("application", "办件不存在")
    if application.applicant.user_id != actor.pk:
        raise ApplicationError("application", "只能办理本人的申请")
    if application.state not in BOOKABLE_STATES:
        raise ConflictError(f"办件当前为「{application.get_state_display()}」，不能预约办理方式")
    return application


def _audit(application: Application, actor, transition: str, reason: str) -> None:
    ApplicationTransition.objects.create(
        application=application, transition=transition, source=application.state, target=application.state,
        actor=actor, reason=reason,
    )


def _move_capacity(*, take: int | None, release: int | None, now: datetime) -> None:
    """Take one place of slot ``take`` and give one back to slot ``release``, in id order (no deadlock
    between two people swapping slots). A full or past slot refuses the booking."""
    steps = sorted(((slot_id, kind) for slot_id, kind in ((take, "take"), (release, "release")) if slot_id),
                   key=lambda step: step[0])
    for slot_id, kind in steps:
        if kind == "take":
            taken = OfficeSlot.objects.filter(
                pk=slot_id, booked__lt=F("capacity"), starts_at__gt=now
            ).update(booked=F("booked") + 1)
            if not taken:
                raise ApplicationError("slot", "该时段已约满或已过期，请选择其他时段")
        else:
            OfficeSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def appointment_book(*, application_id: int, actor, slot_id: int, now: datetime | None = None) -> Appointment:
    """Book a slot at an office of the case's jurisdiction (or move the booking to another slot)."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked_case(application_id, actor)
        slot = OfficeSlot.objects.filter(pk=slot_id, jurisdiction_id=application.jurisdiction_id).first()
        if slot is None:
            raise ApplicationError("slot", "请选择本办件所在地的办理时段")
        current = Appointment.objects.select_for_update().filter(application=application).first()
        if current is not None and current.slot_id == slot.pk:
            return current  # the same booking again (a double click) changes nothing
        _move_capacity(take=slot.pk, release=current.slot_id if current else None, now=now)
        appointment = current or Appointment(application=application)
        appointment.method = Appointment.Method.VISIT
        appointment.slot = slot
        appointment.recipient = appointment.phone = appointment.postal_address = ""
        appointment.updated_by = actor
        appointment.save()
        when = timezone.localtime(slot.starts_at)
        _audit(application, actor, "visit_booked", f"{slot.office} {when:%Y-%m-%d %H:%M}")
        notification_create(
            application=application,
            subject=f"您已预约 {when:%Y年%m月%d日 %H:%M} 到{slot.office}办理",
            body=f"请携带身份证及申请材料原件按时前往：{slot.address or slot.office}。",
        )
    return appointment


def appointment_choose_postal(*, application_id: int, actor, recipient: str, phone: str, address: str) -> Appointment:
    """Have the result delivered by post instead of a visit (a booked slot is given back)."""
    recipient, phone, address = (recipient or "").strip(), (phone or "").strip(), (address or "").strip()
    if not recipient:
        raise ApplicationError("recipient", "请填写收件人")
    if len(recipient) > 60:
        raise ApplicationError("recipient", "收件人不能超过 60 个字符")
    try:
        phone_validator(phone)
    except ValidationError:
        raise ApplicationError("phone", "手机号码应为以 1 开头的 11 位数字") from None
    if len(address) < 5:
        raise ApplicationError("address", "请填写完整的邮寄地址（省市区、街道、门牌号）")
    if len(address) > 200:
        raise ApplicationError("address", "邮寄地址不能超过 200 个字符")
    with transaction.atomic():
        application = _locked_case(application_id, actor)
        current = Appointment.objects.select_for_update().filter(application=application).first()
        if current is not None and current.slot_id:
            _move_capacity(take=None, release=current.slot_id, now=timezone.now())
        appointment = current or Appointment(application=application)
        appointment.method = Appointment.Method.POSTAL
        appointment.slot = None
        appointment.recipient, appointment.phone, appointment.postal_address = recipient, phone, address
        appointment.updated_by = actor
        appointment.save()
        _audit(application, actor, "postal_chosen", f"邮寄至：{address}")
    return appointment
