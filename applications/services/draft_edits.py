"""Undoing a step while filing: take back a relative who follows or an uploaded file."""

from __future__ import annotations

from django.db import transaction

from applications.errors import ApplicationError
from applications.models import Application, ApplicationState, FamilyMember, Material

S = ApplicationState


def _locked_own_case(application_id: int, actor) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("applicant")
        .filter(pk=application_id).first()
    )
    if application is None:
        raise ApplicationError("application", "办件不存在")
    if application.applicant.user_id != actor.pk:
        raise ApplicationError("application", "只能办理本人的申请")
    return application


def family_member_remove(*, application_id: int, member_id: int, actor) -> None:
    """Remove a relative from a draft (the applicant's own case only)."""
    with transaction.atomic():
        application = _locked_own_case(application_id, actor)
        if application.state != S.DRAFT:
            raise ApplicationError("state", "只有草稿状态的申请可以修改")
        deleted, _ = FamilyMember.objects.filter(pk=member_id, application=application).delete()
        if not deleted:
            raise ApplicationError("member", "该随迁人员不存在")


def material_remove(*, application_id: int, material_id: int, actor) -> None:
    """Remove an uploaded file: any file of a draft; while answering a correction, only a file
    uploaded after the correction notice (what the clerk already saw stays on the case)."""
    with transaction.atomic():
        application = _locked_own_case(application_id, actor)
        material = Material.objects.filter(pk=material_id, application=application).first()
        if material is None:
            raise ApplicationError("material", "该材料不存在")
        if application.state == S.CORRECTION_REQUESTED:
            notice = application.correction_notices.filter(answered_at__isnull=True).first()
            if notice is None or material.uploaded_at <= notice.issued_at:
                raise ApplicationError("material", "已提交审核的材料不能删除")
        elif application.state != S.DRAFT:
            raise ApplicationError("state", "当前状态不能删除材料")
        file = material.file
        material.delete()
        transaction.on_commit(lambda: file.delete(save=False))
