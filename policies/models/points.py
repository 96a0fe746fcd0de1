from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policies.models.jurisdictions import code_validator


class PointsScheme(models.Model):
    """居住证积分方案: the indicators and the qualifying line of a jurisdiction, from a date."""

    jurisdiction = models.ForeignKey(
        "policies.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="points_schemes",
    )
    name = models.CharField(_("name"), max_length=120)
    document = models.ForeignKey(
        "policies.PolicyDocument", verbose_name=_("policy document"), on_delete=models.PROTECT
    )
    clause = models.CharField(_("clause"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    threshold = models.DecimalField(_("qualifying points"), max_digits=8, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__code", "-valid_from"]
        verbose_name = _("points scheme")
        verbose_name_plural = _("points schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="pointsscheme_period_ordered",
                violation_error_message=_("The last valid day cannot precede the first."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PointsIndicator(models.Model):
    """积分指标: scored from the age on the evaluation date or from a declared value (facts.points)."""

    class Source(models.TextChoices):
        AGE = "age", _("Age in full years on the evaluation date")
        FACT = "fact", _("Declared value (facts.points.<code>)")

    scheme = models.ForeignKey(
        PointsScheme, verbose_name=_("points scheme"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, null=True, blank=True)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "id"]
        verbose_name = _("points indicator")
        verbose_name_plural = _("points indicators")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="pointsindicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class PointsBand(models.Model):
    """One band of an indicator's scoring table: for lower ≤ value < upper,
    points + points_per_unit × (value − lower), never below 0 nor above the indicator's maximum."""

    indicator = models.ForeignKey(
        PointsIndicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="bands"
    )
    lower = models.DecimalField(_("from (inclusive)"), max_digits=12, decimal_places=2)
    upper = models.DecimalField(_("to (exclusive)"), max_digits=12, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    points_per_unit = models.DecimalField(_("points per unit above 'from'"), max_digits=8, decimal_places=2, default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "lower"]
        verbose_name = _("points band")
        verbose_name_plural = _("points bands")
        constraints = [
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=F("lower")),
                name="pointsband_bounds_ordered",
                violation_error_message=_("'To' must be greater than 'from'."),
            ),
            models.UniqueConstraint(fields=["indicator", "lower"], name="pointsband_unique_lower"),
        ]

    def __str__(self) -> str:
        upper = "∞" if self.upper is None else self.upper
        return f"[{self.lower}, {upper}) → {self.points}"
