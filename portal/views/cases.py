"""我的办件 and the case page: filing a draft (relatives, uploads, submit once), answering the
correction notice, withdrawing, the timeline, the promised date and the documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.errors import ApplicationError, ConflictError
from applications.models import Application, ApplicationState
from applications.selectors import application_timeline
from applications.services.draft_edits import family_member_remove, material_remove
from applications.services.drafts import family_member_add, material_add
from applications.services.transitions import application_resubmit, application_submit, application_withdraw
from policies.services.calendar import working_days_left
from portal import forms
from portal.presenters import (
    CLOCK_STATES,
    FOLLOWER_LABELS,
    OPEN,
    STATE_LABELS,
    STATE_TONE,
    can_book,
    can_rate,
    checklist_rows,
    chinese_date,
    days_left_text,
    documents_available,
    place_labels,
    timeline,
)
from portal.views.common import applicant_required, own_case

S = ApplicationState
CASE_RELATED = ("appointment__slot", "registration", "rating__follow_up")


def _related(application: Application, name: str):
    try:
        return getattr(application, name)
    except ObjectDoesNotExist:
        return None


def _clock_text(application: Application, days_left: int | None) -> str:
    if application.state == S.CORRECTION_REQUESTED:
        return "补正材料提交后重新计算"
    return days_left_text(days_left) if application.state in CLOCK_STATES else ""


def _case(request, case_number: str) -> Application:
    return own_case(request, case_number, related=CASE_RELATED)


def _is_xhr(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


@require_GET
@applicant_required
def cases(request):
    applications = list(
        Application.objects.filter(applicant=request.applicant)
        .select_related("route", "jurisdiction")
        .defer("facts", "eligibility", "route_snapshot")
        .order_by("-id")  # newest first, along the applicant's index
    )
    today = timezone.localdate()
    left = working_days_left([a.due_date for a in applications if a.state in CLOCK_STATES], today)
    places = place_labels()
    rows = [
        {
            "application": application,
            "place": places[application.jurisdiction_id]["full"],
            "state_label": STATE_LABELS.get(application.state, application.state),
            "tone": STATE_TONE.get(application.state, "info"),
            "due": chinese_date(application.due_date) if application.due_date else "",
            "days_left_text": _clock_text(application, left.get(application.due_date)),
        }
        for application in applications
    ]
    return render(request, "portal/cases.html", {"rows": rows})


def _case_context(request, application: Application, **overrides) -> dict:
    materials = list(application.materials.order_by("checklist_code", "uploaded_at", "id"))
    notices = list(application.correction_notices.order_by("-issued_at"))
    open_notice = next((n for n in notices if n.answered_at is None), None) \
        if application.state == S.CORRECTION_REQUESTED else None
    entries = application_timeline(application)
    family = list(application.family_members.order_by("id"))
    rows = checklist_rows(application, materials, open_notice)
    today = timezone.localdate()
    days_left = None
    if application.due_date and application.state in CLOCK_STATES:
        days_left = working_days_left([application.due_date], today)[application.due_date]
    relations = [(code, FOLLOWER_LABELS.get(code, code)) for code in application.route.followers]
    snapshot = application.route_snapshot or {}
    context = {
        "application": application,
        "place": place_labels()[application.jurisdiction_id]["full"],
        "route_name": snapshot.get("name") or application.route.name,
        "citation": snapshot.get("citation") or application.route.citation,
        "state_label": STATE_LABELS.get(application.state, application.state),
        "tone": STATE_TONE.get(application.state, "info"),
        "is_draft": application.state == S.DRAFT,
        "is_open": application.state in OPEN,
        "rows": rows,
        "missing": [row for row in rows if row.required and not row.done],
        "open_notice": open_notice,
        "to_fix": [row for row in rows if row.needs_fix],
        "latest_notice": notices[0] if notices else None,
        "family": family,
        "relations": relations,
        "timeline": timeline(entries),
        "documents": documents_available(application, entries, bool(notices)),
        "due": chinese_date(application.due_date) if application.due_date else "",
        "days_left": days_left,
        "appointment": _related(application, "appointment"),
        "registration": _related(application, "registration"),
        "rating": _related(application, "rating"),
        "can_book": can_book(application),
        "can_rate": can_rate(application),
        "can_upload": application.state == S.DRAFT or open_notice is not None,
        "family_form": forms.FamilyMemberForm(relations=relations, cohabit=application.route.followers_cohabit),
        "submit_form": forms.SubmitForm(initial={"version": application.version}),
        "upload_errors": {},
        "submit_errors": [],
    }
    context.update(overrides)
    for row in context["rows"]:
        row.error = context["upload_errors"].get(row.code, "")
    context["days_left_text"] = _clock_text(application, context["days_left"])
    return context


def _render_case(request, application: Application, *, status: int = 200, **overrides):
    return render(request, "portal/case.html", _case_context(request, application, **overrides), status=status)


def _render_materials(request, application: Application, *, status: int = 200, **overrides):
    return render(request, "portal/_materials.html", _case_context(request, application, **overrides),
                  status=status)


def _back(application: Application, anchor: str = "") -> str:
    url = reverse("portal:case", kwargs={"case_number": application.case_number})
    return f"{url}#{anchor}" if anchor else url


@require_GET
@applicant_required
def case(request, case_number: str):
    return _render_case(request, _case(request, case_number))


@require_POST
@applicant_required
def family_add(request, case_number: str):
    application = _case(request, case_number)
    relations = [(code, FOLLOWER_LABELS.get(code, code)) for code in application.route.followers]
    form = forms.FamilyMemberForm(request.POST, relations=relations, cohabit=application.route.followers_cohabit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = family_member_add(application=application, relation=data["relation"],
                                       real_name=data["real_name"], id_number=data["id_number"],
                                       lives_with_applicant=data.get("lives_with_applicant"))
        except ApplicationError as error:
            forms.form_error_from(form, error)
        else:
            messages.success(request, f"已添加随迁人员：{member.real_name}。")
            return redirect(_back(application, "family"))
    return _render_case(request, application, family_form=form, status=400)


@require_POST
@applicant_required
def family_remove(request, case_number: str, member_id: int):
    application = _case(request, case_number)
    try:
        family_member_remove(application_id=application.pk, member_id=member_id, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已删除该随迁人员。")
    return redirect(_back(application, "family"))


@require_POST
@applicant_required
def material_upload(request, case_number: str):
    application = _case(request, case_number)
    form = forms.MaterialUploadForm(request.POST, request.FILES)
    code = request.POST.get("checklist_code", "")
    error = None
    if form.is_valid():
        try:
            material = material_add(application=application, checklist_code=form.cleaned_data["checklist_code"],
                                    upload=form.cleaned_data["file"])
        except ApplicationError as refused:
            error = refused.message
    else:
        error = next(iter(form.errors.get("file") or form.errors.get("checklist_code") or ["上传失败，请重试"]))
    if error is not None:
        renderer = _render_materials if _is_xhr(request) else _render_case
        return renderer(request, application, upload_errors={code: error}, status=400)
    if _is_xhr(request):
        return _render_materials(request, application, uploaded=code)
    messages.success(request, f"已上传：{material.original_name}")
    return redirect(_back(application, f"item-{code}"))


@require_POST
@applicant_required
def material_delete(request, case_number: str, material_id: int):
    application = _case(request, case_number)
    try:
        material_remove(application_id=application.pk, material_id=material_id, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已删除该文件。")
    return redirect(_back(application, "materials"))


@require_POST
@applicant_required
def submit(request, case_number: str):
    application = _case(request, case_number)
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, submit_form=form, status=400)
    try:
        application = application_submit(application_id=application.pk, actor=request.user,
                                          expected_version=form.cleaned_data["version"])
    except ApplicationError as error:
        return _render_case(request, application, submit_form=form, status=400,
                            submit_errors=[error.message])
    except ConflictError as error:
        application.refresh_from_db()
        if application.state != S.DRAFT:  # the first click went through
            messages.info(request, "申请已提交，无需重复提交。")
            return redirect(_back(application))
        return _render_case(request, application, status=409, submit_errors=[error.message])
    messages.success(request, f"申请已提交。办件编号 {application.case_number}，承诺办结日期 "
                              f"{chinese_date(application.due_date)}。")
    return redirect(_back(application))


@require_POST
@applicant_required
def resubmit(request, case_number: str):
    application = _case(request, case_number)
    form = forms.VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        application = application_resubmit(application_id=application.pk, actor=request.user,
                                           expected_version=version)
    except ApplicationError as error:
        return _render_case(request, application, status=400, submit_errors=[error.message])
    except ConflictError as error:
        application.refresh_from_db()
        if application.state != S.CORRECTION_REQUESTED:
            messages.info(request, "补正材料已提交，无需重复提交。")
            return redirect(_back(application))
        return _render_case(request, application, status=409, submit_errors=[error.message])
    messages.success(request, "补正材料已提交，承诺办结日期已重新计算："
                              f"{chinese_date(application.due_date)}。")
    return redirect(_back(application))


@require_http_methods(["GET", "POST"])
@applicant_required
def withdraw(request, case_number: str):
    application = _case(request, case_number)
    if application.state not in OPEN:
        messages.error(request, "该办件已办结，不能撤回。")
        return redirect(_back(application))
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(application_id=application.pk, actor=request.user,
                                 reason=form.cleaned_data["reason"].strip())
        except (ApplicationError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "申请已撤回。")
            return redirect(_back(application))
    return render(request, "portal/withdraw.html", {"application": application, "form": form,
                                                    "route_name": application.route.name},
                  status=400 if form.errors else 200)
