from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class PaymentRun(models.Model):
    """One payment run of one program for one period: set-based SQL over the program's entitlements in
    id-range chunks, each chunk committed together with the progress recorded here, so a run killed
    mid-way is resumed from ``cursor`` and still ends with one payment per entitlement and period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    OPEN_STATUSES = (Status.PENDING, Status.RUNNING)

    program = models.ForeignKey(
        "policies.SubsidyProgram", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    reference_date = models.DateField(
        _("reference date"), help_text=_("An entitlement in force on this day is paid for the period.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    chunk_size = models.PositiveIntegerField(_("chunk size"))
    cursor = models.BigIntegerField(_("done up to entitlement id"), default=0)
    total = models.BigIntegerField(_("entitlements of the program"), default=0)
    processed = models.BigIntegerField(_("entitlements examined"), default=0)
    inserted = models.BigIntegerField(_("payments created"), default=0)
    chunks = models.PositiveIntegerField(_("chunks committed"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    trigger = models.CharField(_("started from"), max_length=20, default="admin")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period"], condition=Q(status__in=["pending", "running"]),
                name="paymentrun_one_open_per_program_period",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.COMPLETED:
            return 100
        if not self.total:
            return 0
        return min(99, self.processed * 100 // self.total)


class Payment(models.Model):
    """应发记录: one period of one entitlement, computed by a payment run. Integer fen. At most one per
    entitlement and period, and one per settler, family and period (从优、从高、不重复), both enforced by
    unique constraints. Finance reviews the ones flagged for recovery."""

    class Recovery(models.TextChoices):
        NONE = "none", _("—")
        DUE = "due", _("To recover")
        RECOVERED = "recovered", _("Recovered")
        WAIVED = "waived", _("Recovery waived")

    entitlement = models.ForeignKey(
        "subsidies.Entitlement", verbose_name=_("entitlement"), on_delete=models.PROTECT,
        related_name="payments", db_index=False,
    )
    run = models.ForeignKey(
        PaymentRun, verbose_name=_("payment run"), on_delete=models.PROTECT, related_name="payments"
    )
    period = models.CharField(_("period"), max_length=7)
    reference_date = models.DateField(_("reference date"))
    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("settler"), on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    family = models.CharField(_("family"), max_length=60)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    created_at = models.DateTimeField(_("computed at"), db_default=Now())
    recovery_status = models.CharField(
        _("recovery"), max_length=10, choices=Recovery.choices, default=Recovery.NONE, db_default=Recovery.NONE
    )
    recovery_reason = models.CharField(_("why recovered"), max_length=200, blank=True, default="", db_default="")
    recovery_changed_at = models.DateTimeField(_("recovery changed at"), null=True, blank=True)
    recovery_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recovery changed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "period"], name="payment_once_per_entitlement_period"),
            models.UniqueConstraint(
                fields=["applicant", "family", "period"], name="payment_once_per_person_family_period"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(
                fields=["recovery_status", "id"], condition=~Q(recovery_status="none"), name="payment_recovery_review"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period}"
