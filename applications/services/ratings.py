"""好差评: the applicant rates a finished case once; a poor rating opens a follow-up in the office's
queue, which stays open until someone of that office records how it was resolved."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.access import may_see_jurisdiction
from applications.errors import ApplicationError, ConflictError
from applications.models import (
    Application,
    ApplicationState,
    ApplicationTransition,
    RatingFollowUp,
    RatingLevel,
    ServiceRating,
)
from applications.models.ratings import POOR_LEVEL, RATING_INDICATORS

S = ApplicationState

# A case can be rated once it is finished: registered, or decided against.
RATEABLE_STATES = (S.REGISTERED, S.REFUSED, S.NOT_ACCEPTED)
COMMENT_MAX = 1000


def rating_submit(*, application_id: int, actor, scores: dict[str, int], comment: str = "") -> ServiceRating:
    """Rate every online indicator on the five levels; a poor level anywhere needs a comment saying
    why and opens a follow-up (差评整改) for the case's office."""
    comment = (comment or "").strip()
    levels = {}
    for field, label in RATING_INDICATORS:
        value = scores.get(field)
        if value in (None, ""):
            raise ApplicationError(field, f"请评价「{label}」")
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ApplicationError(field, f"「{label}」的评价等级无效") from None
        if value not in RatingLevel.values:
            raise ApplicationError(field, f"「{label}」的评价等级无效")
        levels[field] = value
    unknown = sorted(set(scores) - {field for field, _label in RATING_INDICATORS})
    if unknown:
        raise ApplicationError(unknown[0], "不是可评价的指标")
    poor = any(level <= POOR_LEVEL for level in levels.values())
    if poor and not comment:
        raise ApplicationError("comment", "选择“不满意”或“非常不满意”时，请写明原因，便于我们整改")
    if len(comment) > COMMENT_MAX:
        raise ApplicationError("comment", f"评价内容不能超过 {COMMENT_MAX} 个字")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("applicant")
            .filter(pk=application_id).first()
        )
        if application is None:
            raise ApplicationError("application", "办件不存在")
        if application.applicant.user_id != actor.pk:
            raise ApplicationError("application", "只能评价本人的办件")
        if application.state not in RATEABLE_STATES:
            raise ConflictError("办件办结后才能评价")
        if ServiceRating.objects.filter(application=application).exists():
            raise ConflictError("该办件已评价，每件只能评价一次")
        try:
            with transaction.atomic():
                rating = ServiceRating.objects.create(application=application, comment=comment, rated_by=actor,
                                                      **levels)
        except IntegrityError:
            raise ConflictError("该办件已评价，每件只能评价一次") from None
        summary = "；".join(f"{label}：{RatingLevel(levels[field]).label}" for field, label in RATING_INDICATORS)
        ApplicationTransition.objects.create(
            application=application, transition="rated", source=application.state, target=application.state,
            actor=actor, reason=summary,
        )
        if poor:
            RatingFollowUp.objects.create(rating=rating, jurisdiction_id=application.jurisdiction_id)
    return rating


def rating_followup_resolve(*, followup_id: int, actor, resolution: str) -> RatingFollowUp:
    """Record how a poor rating was resolved (staff of the case's jurisdiction, once)."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ApplicationError("resolution", "请填写整改情况（联系申请人的结果、采取的措施）")
    with transaction.atomic():
        followup = (
            RatingFollowUp.objects.select_for_update(of=("self",)).select_related("rating__application")
            .filter(pk=followup_id).first()
        )
        if followup is None:
            raise ApplicationError("followup", "差评整改记录不存在")
        if not may_see_jurisdiction(actor, followup.jurisdiction_id):
            raise ApplicationError("followup", "只能处理本辖区的差评整改")
        if followup.status != RatingFollowUp.Status.OPEN:
            raise ConflictError("该差评已办结")
        followup.status = RatingFollowUp.Status.RESOLVED
        followup.resolution = resolution
        followup.resolved_by = actor
        followup.resolved_at = timezone.now()
        followup.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        application = followup.rating.application
        ApplicationTransition.objects.create(
            application=application, transition="rating_followup_resolved", source=application.state,
            target=application.state, actor=actor, reason=resolution,
        )
    return followup
