"""The case's life (django-fsm): every change locks the row, checks the state and the version the
caller saw, writes its audit row in the same transaction and tells the applicant on commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from applications.errors import ApplicationError, ConflictError
from applications.events import application_registered
from applications.formatting import chinese_date
from applications.models import (
    Application,
    ApplicationState,
    ApplicationTransition,
    CorrectionNotice,
    Material,
    Registration,
)
from applications.selectors import application_checklist, registration_address_options
from applications.services.followers import followers_check_all
from applications.services.notifications import notification_create
from policies.eligibility.checklist import checklist_applicable
from policies.eligibility.engine import eligibility_evaluate
from policies.services.calendar import add_working_days

S = ApplicationState


@contextmanager
def _case_for_update(application_id: int, expected_version: int | None) -> Iterator[Application]:
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("route__document", "applicant", "jurisdiction")
            .filter(pk=application_id)
            .first()
        )
        if application is None:
            raise ApplicationError("application", "办件不存在")
        if expected_version is not None and application.version != expected_version:
            raise ConflictError("该办件已被他人处理，请刷新后重试")
        yield application


def _fire(application: Application, transition: str, *, actor, reason: str = "") -> ApplicationTransition:
    method = getattr(application, transition)
    if not can_proceed(method):
        raise ConflictError(f"办件当前为「{application.get_state_display()}」，不能执行此操作")
    source = application.state
    method()
    application.version += 1
    application.save()
    return ApplicationTransition.objects.create(
        application=application, transition=transition, source=source, target=application.state,
        actor=actor, reason=reason,
    )


def _require_owner(application: Application, actor) -> None:
    if application.applicant.user_id != actor.pk:
        raise ApplicationError("application", "只能办理本人的申请")


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise ApplicationError("reason", "请填写理由")
    return reason.strip()


def _restart_clock(application: Application, on: date) -> None:
    days = (application.route_snapshot or {}).get("promised_working_days") or application.route.promised_working_days
    application.clock_started_on = on
    application.due_date = add_working_days(on, days)


def _route_snapshot(application: Application, on: date) -> dict:
    route = application.route
    return {
        "code": route.code,
        "name": route.name,
        "citation": route.citation,
        "document": route.document.number,
        "clause": route.clause,
        "criteria": route.criteria,
        "followers": route.followers,
        "material_checklist": checklist_applicable(route.material_checklist, application.facts, on),
        "promised_working_days": route.promised_working_days,
        "address_options": route.address_options,
    }


def _missing_required(application: Application, since=None) -> list[dict]:
    uploads = application.materials.all()
    if since is not None:
        uploads = uploads.filter(uploaded_at__gt=since)
    present = set(uploads.values_list("checklist_code", flat=True))
    return [item for item in application_checklist(application)
            if item.get("required", True) and item["code"] not in present]


def application_submit(*, application_id: int, actor, expected_version: int | None = None,
                       on: date | None = None) -> Application:
    """提交: re-check eligibility under the policy of the day, freeze it, start the working-day clock."""
    on = on or timezone.localdate()
    with _case_for_update(application_id, expected_version) as application:
        _require_owner(application, actor)
        if application.state != S.DRAFT:
            raise ConflictError(f"办件当前为「{application.get_state_display()}」，不能提交")
        result = eligibility_evaluate(facts=application.facts, jurisdiction=application.jurisdiction.code, on=on)
        route_result = next((r for r in result["routes"] if r["code"] == application.route.code), None)
        if route_result is None:
            raise ApplicationError("route", "该落户途径在提交之日不适用")
        if not route_result["eligible"]:
            failing = [c["label"] for c in route_result["conditions"] if not c["ok"]]
            raise ApplicationError("route", "不符合该落户途径的条件：" + "；".join(failing), details=failing)
        followers_check_all(application=application, on=on)
        application.route_snapshot = _route_snapshot(application, on)
        missing = _missing_required(application)
        if missing:
            names = [item["name"] for item in missing]
            raise ApplicationError("materials", "尚缺必交材料：" + "、".join(names), details=names)
        application.eligibility = route_result
        application.submitted_at = timezone.now()
        _restart_clock(application, on)
        _fire(application, "submit", actor=actor)
        notification_create(
            application=application,
            subject=f"您的落户申请 {application.case_number} 已提交",
            body=f"承诺办结日期：{chinese_date(application.due_date)}。",
        )
    return application


def application_accept(*, application_id: int, actor, expected_version: int | None = None,
                       reason: str = "") -> Application:
    """受理."""
    with _case_for_update(application_id, expected_version) as application:
        _fire(application, "accept", actor=actor, reason=reason)
        notification_create(
            application=application,
            subject=f"您的落户申请 {application.case_number} 已受理",
            body=f"承诺办结日期：{chinese_date(application.due_date)}。",
        )
    return application


def _decide_against(application: Application, transition: str, *, actor, reason: str, condition: str) -> None:
    reason = _require_reason(reason)
    labels = [item["label"] for item in (application.route_snapshot or {}).get("criteria", [])]
    if condition and condition not in labels:
        raise ApplicationError("condition", "请选择该落户途径的一项条件")
    application.decision_reason = reason
    application.decision_condition = condition
    citation = (application.route_snapshot or {}).get("citation", application.route.citation)
    _fire(application, transition, actor=actor, reason=f"{citation}：{condition + '；' if condition else ''}{reason}")


def application_not_accept(*, application_id: int, actor, reason: str, condition: str = "",
                           expected_version: int | None = None) -> Application:
    """不予受理, naming the clause and, where one fails, the condition."""
    with _case_for_update(application_id, expected_version) as application:
        _decide_against(application, "not_accept", actor=actor, reason=reason, condition=condition)
        notification_create(
            application=application,
            subject=f"您的落户申请 {application.case_number} 不予受理",
            body=application.transitions.last().reason,
        )
    return application


def material_review(*, material_id: int, actor, accepted: bool, reason: str = "") -> Material:
    """Mark one material accepted or rejected (a rejection needs the reason the applicant will read)."""
    with transaction.atomic():
        material = Material.objects.select_for_update().select_related("application").get(pk=material_id)
        if material.application.state not in (S.SUBMITTED, S.RESUBMITTED, S.ACCEPTED, S.UNDER_REVIEW):
            raise ConflictError("办件当前状态不能审核材料")
        material.review = Material.Review.ACCEPTED if accepted else Material.Review.REJECTED
        material.review_reason = "" if accepted else _require_reason(reason)
        material.reviewed_by = actor
        material.save(update_fields=["review", "review_reason", "reviewed_by"])
    return material


def application_request_correction(*, application_id: int, actor, extra_items: list[dict] | None = None,
                                   expected_version: int | None = None) -> CorrectionNotice:
    """一次性告知: one notice listing every rejected and every missing material; once per case."""
    with _case_for_update(application_id, expected_version) as application:
        if application.correction_notices.exists():
            raise ApplicationError("application", "一次性告知：每件申请只能要求补正一次")
        checklist = {item["code"]: item["name"] for item in application.route_snapshot["material_checklist"]}
        items = [
            {"code": m.checklist_code, "name": checklist.get(m.checklist_code, m.checklist_code),
             "reason": m.review_reason}
            for m in application.materials.filter(review=Material.Review.REJECTED).order_by("checklist_code")
        ]
        items += [{"code": i["code"], "name": i["name"], "reason": "未提交"} for i in _missing_required(application)]
        for extra in extra_items or []:
            if extra.get("code") not in checklist or not (extra.get("reason") or "").strip():
                raise ApplicationError("extra_items", "补正项须为材料清单中的项目并写明原因")
            items.append({"code": extra["code"], "name": checklist[extra["code"]], "reason": extra["reason"].strip()})
        if not items:
            raise ApplicationError("items", "没有被退回或缺少的材料，无需补正")
        notice = CorrectionNotice.objects.create(application=application, items=items, issued_by=actor)
        listing = "\n".join(f"{n}. {item['name']}：{item['reason']}" for n, item in enumerate(items, start=1))
        _fire(application, "request_correction", actor=actor, reason=listing)
        notification_create(
            application=application,
            subject=f"您的落户申请 {application.case_number} 需要补正材料（一次性告知）",
            body=listing,
        )
    return notice


def application_resubmit(*, application_id: int, actor, expected_version: int | None = None,
                         on: date | None = None) -> Application:
    """Answer the correction once: every listed item re-uploaded; the working-day clock restarts."""
    on = on or timezone.localdate()
    with _case_for_update(application_id, expected_version) as application:
        _require_owner(application, actor)
        notice = application.correction_notices.filter(answered_at__isnull=True).first()
        if notice is None or application.state != S.CORRECTION_REQUESTED:
            raise ConflictError("没有待答复的补正通知")
        renewed = set(
            application.materials.filter(uploaded_at__gt=notice.issued_at).values_list("checklist_code", flat=True)
        )
        missing = [item["name"] for item in notice.items if item["code"] not in renewed]
        if missing:
            raise ApplicationError("materials", "尚未补正：" + "、".join(missing), details=missing)
        notice.answered_at = timezone.now()
        notice.save(update_fields=["answered_at"])
        _restart_clock(application, on)
        _fire(application, "resubmit", actor=actor)
    return application


def application_start_review(*, application_id: int, actor, expected_version: int | None = None) -> Application:
    with _case_for_update(application_id, expected_version) as application:
        _fire(application, "start_review", actor=actor)
    return application


def application_approve(*, application_id: int, actor, reason: str = "",
                        expected_version: int | None = None) -> Application:
    with _case_for_update(application_id, expected_version) as application:
        application.decision_reason = reason.strip()
        _fire(application, "approve", actor=actor, reason=reason.strip())
        notification_create(
            application=application,
            subject=f"您的落户申请 {application.case_number} 已批准",
            body="请按通知办理落户登记。",
        )
    return application


def application_refuse(*, application_id: int, actor, reason: str, condition: str = "",
                       expected_version: int | None = None) -> Application:
    """不予批准, naming the clause and the failing condition."""
    with _case_for_update(application_id, expected_version) as application:
        _decide_against(application, "refuse", actor=actor, reason=reason, condition=condition)
        notification_create(
            application=application,
            subject=f"您的落户申请 {application.case_number} 不予批准",
            body=application.transitions.last().reason,
        )
    return application


def application_withdraw(*, application_id: int, actor, reason: str = "",
                         expected_version: int | None = None) -> Application:
    """撤回 by the applicant, from any open state."""
    with _case_for_update(application_id, expected_version) as application:
        _require_owner(application, actor)
        _fire(application, "withdraw", actor=actor, reason=reason)
    return application


def application_assign(*, application_id: int, actor, assignee, expected_version: int | None = None) -> Application:
    """Claim (assignee = actor) or release (assignee = None) a case; audited like a transition."""
    with _case_for_update(application_id, expected_version) as application:
        if assignee is not None and application.assigned_to_id not in (None, assignee.pk):
            raise ConflictError("该办件已由他人认领")
        application.assigned_to = assignee
        application.version += 1
        application.save(update_fields=["assigned_to", "version", "updated_at"])
        ApplicationTransition.objects.create(
            application=application, transition="claim" if assignee else "release",
            source=application.state, target=application.state, actor=actor,
        )
    return application


def application_register(*, application_id: int, actor, address_type: str, address: str,
                         registered_on: date | None = None, expected_version: int | None = None) -> Registration:
    """落户登记 at an address the precedence rules allow; emits application_registered on commit."""
    registered_on = registered_on or timezone.localdate()
    with _case_for_update(application_id, expected_version) as application:
        options = [code for code, _label in registration_address_options(application)]
        if address_type not in options:
            raise ApplicationError("address_type", "该办件不能使用此落户地址类型；可选：" + "、".join(options))
        if not address or not address.strip():
            raise ApplicationError("address", "请填写落户地址")
        _fire(application, "register", actor=actor, reason=f"{address_type}：{address.strip()}")
        registration = Registration.objects.create(
            application=application, registered_on=registered_on, address_type=address_type,
            address=address.strip(), registrar=actor,
        )
        notification_create(
            application=application,
            subject=f"您已于 {chinese_date(registered_on)} 完成落户登记",
            body=f"落户地址：{registration.address}",
        )
        payload = {
            "application_id": application.pk,
            "registration_id": registration.pk,
            "route_code": application.route.code,
            "jurisdiction_code": application.jurisdiction.code,
            "registered_on": registered_on,
        }
        transaction.on_commit(lambda: application_registered.send(sender=Registration, **payload))
    return registration
