"""最多跑一次: the single visit to the office (a booked slot) or postal delivery of the result."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class OfficeSlot(models.Model):
    """A time slot at an office where applicants of one jurisdiction make their one visit.

    ``booked`` only moves through applications.services.appointments, by a conditional UPDATE
    (``booked < capacity``), so concurrent bookings never overfill a slot; the check constraint
    below is the last line of defence.
    """

    jurisdiction = models.ForeignKey(
        "policies.Jurisdiction", verbose_name="行政区划", on_delete=models.PROTECT, related_name="office_slots"
    )
    office = models.CharField("办理窗口", max_length=100, help_text="如：柯桥区行政服务中心户籍窗口")
    address = models.CharField("窗口地址", max_length=200, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可预约人数")
    booked = models.PositiveSmallIntegerField("已预约人数", default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["booked"])

    class Meta:
        verbose_name = "办理时段"
        verbose_name_plural = "办理时段"
        ordering = ["starts_at", "office", "id"]
        indexes = [models.Index(fields=["jurisdiction", "starts_at"], name="officeslot_by_place")]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="officeslot_not_overbooked",
                                   violation_error_message="可预约人数不能少于已预约人数"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="officeslot_ends_after_start",
                                   violation_error_message="结束时间应晚于开始时间"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        start = timezone.localtime(self.starts_at)
        return f"{self.office} {start:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class Appointment(models.Model):
    """How the applicant gets the result: one visit in a booked slot, or postal delivery (邮寄送达)."""

    class Method(models.TextChoices):
        VISIT = "visit", "预约到窗口办理"
        POSTAL = "postal", "邮寄送达"

    application = models.OneToOneField(
        "applications.Application", verbose_name="办件", on_delete=models.CASCADE, related_name="appointment"
    )
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    slot = models.ForeignKey(
        OfficeSlot, verbose_name="办理时段", null=True, blank=True, on_delete=models.PROTECT,
        related_name="appointments",
    )
    recipient = models.CharField("收件人", max_length=60, blank=True)
    phone = models.CharField("收件人电话", max_length=11, blank=True)
    postal_address = models.CharField("邮寄地址", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("预约时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办理预约"
        verbose_name_plural = "办理预约"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(method="visit") & Q(slot__isnull=False))
                | (Q(method="postal") & Q(slot__isnull=True) & ~Q(postal_address="")),
                name="appointment_visit_has_slot_postal_has_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_method_display()}"
