"""好差评: the applicant rates a finished case; a poor rating opens a follow-up in the office's queue."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RatingLevel(models.IntegerChoices):
    """The five levels of the government-service rating (好差评)."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


# A rating at or below this level on any indicator is a poor rating (差评): it opens a follow-up.
POOR_LEVEL = RatingLevel.DISSATISFIED

# The online indicators rated, in the order shown: (field name, Chinese label).
RATING_INDICATORS = [
    ("overall", "总体评价"),
    ("efficiency", "办事效率"),
    ("guide_accuracy", "办事指南准确性"),
    ("convenience", "办理便捷程度"),
    ("ease_of_use", "网上办事系统易用性"),
]


def _level_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=RatingLevel.choices)


class ServiceRating(models.Model):
    """One rating of one finished case, by its applicant; never edited afterwards."""

    application = models.OneToOneField(
        "applications.Application", verbose_name="办件", on_delete=models.PROTECT, related_name="rating"
    )
    overall = _level_field("总体评价")
    efficiency = _level_field("办事效率")
    guide_accuracy = _level_field("办事指南准确性")
    convenience = _level_field("办理便捷程度")
    ease_of_use = _level_field("网上办事系统易用性")
    comment = models.TextField("评价内容", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__range=(1, 5)) & Q(efficiency__range=(1, 5)) & Q(guide_accuracy__range=(1, 5))
                & Q(convenience__range=(1, 5)) & Q(ease_of_use__range=(1, 5)),
                name="servicerating_levels_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_overall_display()}"

    def scores(self) -> list[tuple[str, str, int, str]]:
        """(field, indicator label, level, level label) in display order."""
        return [
            (field, label, getattr(self, field), RatingLevel(getattr(self, field)).label)
            for field, label in RATING_INDICATORS
        ]

    @property
    def is_poor(self) -> bool:
        return any(getattr(self, field) <= POOR_LEVEL for field, _label in RATING_INDICATORS)


class RatingFollowUp(models.Model):
    """差评整改: a poor rating waiting in the office's queue until someone records how it was resolved."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        RESOLVED = "resolved", "已办结"

    rating = models.OneToOneField(
        ServiceRating, verbose_name="评价", on_delete=models.PROTECT, related_name="follow_up"
    )
    jurisdiction = models.ForeignKey(
        "policies.Jurisdiction", verbose_name="责任单位（行政区划）", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolution = models.TextField("整改情况", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        ordering = ["status", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="ratingfollowup_resolved_has_resolution",
            )
        ]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"
