from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policies.models import SubsidyProgram


class Commitment(models.Model):
    """五年内不迁出承诺 (绍柯 二(二)5): made at the settlement of an employer-guided settler; a move-out
    before it ends breaks it and both rewards are flagged for recovery."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken (moved out early)")

    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("settler"), on_delete=models.PROTECT,
        related_name="subsidy_commitments",
    )
    registration = models.OneToOneField(
        "applications.Registration", verbose_name=_("registration"), on_delete=models.PROTECT,
        related_name="subsidy_commitment",
    )
    employer = models.ForeignKey(
        "subsidies.Employer", verbose_name=_("guiding employer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="commitments",
    )
    years = models.PositiveSmallIntegerField(_("years"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE)
    broken_on = models.DateField(_("moved out on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("5-year commitment")
        verbose_name_plural = _("5-year commitments")
        indexes = [models.Index(fields=["status", "ends_on"], name="commitment_by_status")]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"


class Entitlement(models.Model):
    """享受资格: one program owed to one settler by one registration. The program's terms (amount,
    period, cap, family, who is paid) are frozen at the settlement, as the case's route is frozen at
    submission. ``starts_on``/``stops_on`` are worked out from the person's dated facts by the services
    whenever a fact is recorded or revoked; a payment run pays a period whose reference date falls in
    [starts_on, stops_on)."""

    program = models.ForeignKey(
        SubsidyProgram, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("settler"), on_delete=models.PROTECT,
        related_name="subsidy_entitlements", db_index=False,
    )
    registration = models.ForeignKey(
        "applications.Registration", verbose_name=_("registration"), on_delete=models.PROTECT,
        related_name="subsidy_entitlements",
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("5-year commitment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entitlements",
    )
    employer = models.ForeignKey(
        "subsidies.Employer", verbose_name=_("employer paid"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entitlements", help_text=_("For a program paid to the employer."),
    )
    beneficiary = models.CharField(_("paid to"), max_length=10, choices=SubsidyProgram.Beneficiary.choices)
    family = models.CharField(_("family (从优、从高、不重复)"), max_length=60)
    period_kind = models.CharField(_("period"), max_length=10, choices=SubsidyProgram.Period.choices)
    amount_fen = models.BigIntegerField(_("amount per period (fen)"))
    max_periods = models.PositiveSmallIntegerField(_("at most (periods)"))
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    stops_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("why it stopped"), max_length=200, blank=True)
    basis = models.JSONField(
        _("conditions met"), default=list, blank=True,
        help_text=_("The program's conditions as the settler met them when the entitlement was created (frozen)."),
    )
    competes = models.BooleanField(
        _("competes in its family"), default=False,
        help_text=_("The settler has another entitlement of the same family: only one is paid, the highest."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(fields=["registration", "program"], name="entitlement_once_per_registration"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="entitlement_amount_positive"),
            models.CheckConstraint(condition=Q(max_periods__gte=1), name="entitlement_cap_positive"),
        ]
        indexes = [
            # a payment run walks one program's entitlements in id order, chunk by chunk
            models.Index(fields=["program", "id"], name="entitlement_run_chunks"),
            # 从优、从高、不重复: the settler's other entitlements of the same family
            models.Index(fields=["applicant", "family"], name="entitlement_person_family"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.family}"

    def in_force_on(self, day) -> bool:
        return self.starts_on is not None and self.starts_on <= day and (self.stops_on is None or day < self.stops_on)
