"""最多跑一次: book the one visit to the office, or have the result posted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError, ConflictError
from applications.models import OfficeSlot
from applications.services.appointments import appointment_book, appointment_choose_postal
from portal import forms
from portal.presenters import can_book
from portal.views.common import applicant_required, own_case

WEEKDAYS = "一二三四五六日"
SLOTS_SHOWN = 120


def slot_label(slot: OfficeSlot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return (f"{start.month}月{start.day}日（周{WEEKDAYS[start.weekday()]}）{start:%H:%M}–{end:%H:%M}　"
            f"{slot.office}　剩余 {slot.remaining} 个名额")


@require_http_methods(["GET", "POST"])
@applicant_required
def visit(request, case_number: str):
    application = own_case(request, case_number, related=("appointment__slot",))
    try:
        current = application.appointment
    except ObjectDoesNotExist:
        current = None
    if not can_book(application):
        messages.error(request, "当前办件状态不能预约办理方式（受理后至落户登记前可以预约）。")
        return redirect("portal:case", case_number=application.case_number)
    slots = list(
        OfficeSlot.objects.filter(jurisdiction_id=application.jurisdiction_id, starts_at__gt=timezone.now())
        .order_by("starts_at", "office", "id")[:SLOTS_SHOWN]
    )
    choices = [(slot.pk, slot_label(slot)) for slot in slots
               if slot.remaining > 0 or (current is not None and current.slot_id == slot.pk)]
    method = request.POST.get("method") if request.method == "POST" else None
    visit_form = forms.VisitForm(request.POST if method == "visit" else None, slots=choices,
                                 initial={"slot": current.slot_id if current else None})
    postal_initial = {"recipient": request.applicant.real_name, "phone": request.applicant.phone}
    if current is not None and current.postal_address:
        postal_initial = {"recipient": current.recipient, "phone": current.phone, "address": current.postal_address}
    postal_form = forms.PostalForm(request.POST if method == "postal" else None, initial=postal_initial)
    if method == "visit" and visit_form.is_valid():
        try:
            appointment_book(application_id=application.pk, actor=request.user,
                             slot_id=visit_form.cleaned_data["slot"])
        except ApplicationError as error:
            forms.form_error_from(visit_form, error)
        except ConflictError as error:
            visit_form.add_error(None, error.message)
        else:
            messages.success(request, "预约成功。请按时携带身份证和材料原件前往办理。")
            return redirect("portal:case", case_number=application.case_number)
    elif method == "postal" and postal_form.is_valid():
        data = postal_form.cleaned_data
        try:
            appointment_choose_postal(application_id=application.pk, actor=request.user,
                                      recipient=data["recipient"], phone=data["phone"], address=data["address"])
        except ApplicationError as error:
            forms.form_error_from(postal_form, error)
        except ConflictError as error:
            postal_form.add_error(None, error.message)
        else:
            messages.success(request, "已选择邮寄送达，办结后结果将寄到您填写的地址。")
            return redirect("portal:case", case_number=application.case_number)
    bad = bool(visit_form.errors or postal_form.errors) or (method is not None and method not in ("visit", "postal"))
    return render(request, "portal/visit.html", {
        "application": application, "current": current, "slots_offered": bool(choices),
        "visit_form": visit_form, "postal_form": postal_form, "method": method,
        "current_label": slot_label(current.slot) if current is not None and current.slot_id else "",
    }, status=400 if bad else 200)
