"""Filing: the applicant's draft, the relatives who follow and the uploaded materials."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.errors import ApplicationError, DraftExistsError
from applications.models import Applicant, Application, ApplicationState, FamilyMember, Material
from applications.selectors import application_checklist
from applications.services.case_numbers import case_number_new
from applications.services.followers import follower_check
from applications.validators import normalize_id_number, validate_id_number
from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError
from policies.models import Jurisdiction, SettlementRoute

# What an upload may be, recognised by its first bytes, never by its name.
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def _require_draft(application: Application) -> None:
    if application.state != ApplicationState.DRAFT:
        raise ApplicationError("state", "只有草稿状态的申请可以修改")


def application_create(
    *, applicant: Applicant, route_code: str, jurisdiction_code: str, facts: dict, on: date | None = None
) -> Application:
    """Open a draft (草稿) for one route at one place; the facts must be schema-valid. One open draft per
    applicant and route (a partial unique index decides between concurrent calls): a second one is
    refused with DraftExistsError naming the draft to carry on with."""
    on = on or timezone.localdate()
    jurisdiction = Jurisdiction.objects.filter(code=jurisdiction_code).first()
    if jurisdiction is None:
        raise ApplicationError("jurisdiction", f"未知的行政区划代码 {jurisdiction_code!r}")
    try:
        result = eligibility_evaluate(facts=facts, jurisdiction=jurisdiction_code, on=on)
    except EligibilityInputError as error:
        raise ApplicationError(error.field, error.message) from None
    if route_code not in {route["code"] for route in result["routes"]}:
        raise ApplicationError("route", f"落户途径 {route_code!r} 在{jurisdiction.name}当前不适用")
    route = SettlementRoute.objects.get(code=route_code)
    _refuse_second_draft(applicant=applicant, route=route)
    for _ in range(5):
        case_number = case_number_new(jurisdiction_code=jurisdiction_code, on=on)
        if not Application.objects.filter(case_number=case_number).exists():
            break
    try:
        with transaction.atomic():
            return Application.objects.create(
                case_number=case_number, applicant=applicant, route=route, jurisdiction=jurisdiction, facts=facts
            )
    except IntegrityError:  # another request opened the same draft a moment ago
        _refuse_second_draft(applicant=applicant, route=route)
        raise


def _refuse_second_draft(*, applicant: Applicant, route: SettlementRoute) -> None:
    existing = (
        Application.objects.filter(applicant=applicant, route=route, state=ApplicationState.DRAFT)
        .values_list("case_number", flat=True).first()
    )
    if existing is not None:
        raise DraftExistsError(existing)


def application_facts_update(*, application: Application, facts: dict) -> Application:
    _require_draft(application)
    try:
        eligibility_evaluate(facts=facts, jurisdiction=application.jurisdiction.code, on=timezone.localdate())
    except EligibilityInputError as error:
        raise ApplicationError(error.field, error.message) from None
    application.facts = facts
    application.save(update_fields=["facts", "updated_at"])
    return application


def family_member_add(*, application: Application, relation: str, real_name: str, id_number: str,
                      lives_with_applicant: bool | None = None, on: date | None = None) -> FamilyMember:
    """随迁: a relation the route allows and the ID number bears out, with a valid ID number, once per
    case (applications.services.followers says what is checked; submission checks again)."""
    _require_draft(application)
    if not real_name or not real_name.strip():
        raise ApplicationError("real_name", "请填写姓名")
    try:
        validate_id_number(id_number)
    except ValidationError:
        raise ApplicationError("id_number", "身份证号码无效（18位，末位为校验码或X）") from None
    id_number = normalize_id_number(id_number)
    follower_check(route=application.route, facts=application.facts or {}, relation=relation, id_number=id_number,
                   lives_with_applicant=lives_with_applicant, on=on or timezone.localdate())
    if id_number == application.applicant.id_number:
        raise ApplicationError("id_number", "随迁人员不能是申请人本人")
    if application.family_members.filter(id_number=id_number).exists():
        raise ApplicationError("id_number", "该随迁人员已添加")
    return FamilyMember.objects.create(
        application=application, relation=relation, real_name=real_name.strip(), id_number=id_number,
        lives_with_applicant=lives_with_applicant,
    )


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def _checklist_item(application: Application, code: str) -> dict:
    for item in application_checklist(application):
        if item["code"] == code:
            return item
    raise ApplicationError("checklist_code", f"材料清单中没有此项：{code!r}")


def checklist_item_max_files(item: dict) -> int:
    """How many files one checklist item takes: the item's ``max_files`` (policy data on the route's
    checklist), else MATERIAL_MAX_FILES_PER_ITEM."""
    return int(item.get("max_files") or settings.MATERIAL_MAX_FILES_PER_ITEM)


def material_add(*, application: Application, checklist_code: str, upload: UploadedFile) -> Material:
    """Store one file for a checklist item: size-limited, PDF/JPEG/PNG by content, random name on a
    private storage outside the web root. Allowed while drafting and while answering a correction."""
    item = _checklist_item(application, checklist_code)
    limit = settings.MATERIAL_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ApplicationError("file", "文件为空")
    if upload.size > limit:
        raise ApplicationError("file", f"文件过大：上限 {limit // (1024 * 1024)} MB")
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    if content_type is None:
        raise ApplicationError("file", "只接受 PDF、JPEG 或 PNG 文件（按文件内容识别）")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        # the state as it is now, locked, not as the caller's copy remembers it
        state = Application.objects.select_for_update().values_list("state", flat=True).get(pk=application.pk)
        if state not in (ApplicationState.DRAFT, ApplicationState.CORRECTION_REQUESTED):
            raise ApplicationError("state", "当前状态不能上传材料")
        # counted under the case's row lock: concurrent uploads cannot pass the limit together
        most = checklist_item_max_files(item)
        held = application.materials.filter(checklist_code=checklist_code).exclude(
            review=Material.Review.REJECTED).count()
        if held >= most:
            raise ApplicationError("file", f"「{item['name']}」最多上传 {most} 个文件，请先删除不需要的文件")
        return Material.objects.create(
            application=application,
            checklist_code=checklist_code,
            file=upload,
            original_name=(upload.name or "upload")[-200:],
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
