from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policies.eligibility.errors import ConditionError
from policies.models.jurisdictions import code_validator

# The dated facts recorded about a settled person (subsidies.FactEvent), by which a program's
# entitlement starts and stops; the labels are the clerks'.
FACT_EVENT_KINDS = {
    "graduated": "毕业",
    "employed": "就业",
    "employer_changed": "更换用人单位",
    "hukou_moved_out": "户口迁出",
}


def validate_program_conditions(value) -> None:
    """Like a route's criteria, and they may also read ``settlement.route`` (the route settled by)."""
    from policies.eligibility.conditions import compile_criteria

    try:
        compile_criteria(value, program=True)
    except ConditionError as exc:
        raise ValidationError(_("Invalid condition: %(error)s"), params={"error": str(exc)}) from exc


def validate_fact_kinds(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Must be a list of fact codes."))
    unknown = [item for item in value if item not in FACT_EVENT_KINDS]
    if unknown or len(set(value)) != len(value):
        raise ValidationError(
            _("Unknown or repeated fact: %(codes)s (allowed: %(allowed)s)"),
            params={"codes": ", ".join(unknown) or ", ".join(value), "allowed": ", ".join(FACT_EVENT_KINDS)},
        )


class SubsidyProgram(models.Model):
    """补贴/奖励项目: an amount paid per period to a settler (or their employer), up to a cap.

    A program pays a *person* who meets its ``conditions`` (the condition language of route criteria,
    over the facts frozen at settlement and those the dated fact events add), whatever route they
    settled by (绍柯 二(二)4–5). Its entitlement is in force from the latest of the ``starts_with``
    facts (never before the settlement) until the first of the ``stops_with`` facts.

    ``family``: programs of one family are alternatives; a person qualifying under several is paid
    only the highest (从优、从高、不重复). Programs the notice says stack are in different families.
    """

    class Period(models.TextChoices):
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")
        ONCE = "once", _("Once")

    class Beneficiary(models.TextChoices):
        SETTLER = "settler", _("The settler")
        EMPLOYER = "employer", _("The settler's employer")

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    document = models.ForeignKey("policies.PolicyDocument", verbose_name=_("policy document"), on_delete=models.PROTECT)
    clause = models.CharField(_("clause"), max_length=40)
    jurisdiction = models.ForeignKey("policies.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT)
    amount_fen = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    max_periods = models.PositiveSmallIntegerField(_("at most (periods)"), validators=[MinValueValidator(1)])
    beneficiary = models.CharField(
        _("paid to"), max_length=10, choices=Beneficiary.choices, default=Beneficiary.SETTLER
    )
    family = models.CharField(_("family (从优、从高、不重复)"), max_length=60)
    stacks_with = models.ManyToManyField("self", verbose_name=_("stacks with"), blank=True, symmetrical=True)
    commitment_years = models.PositiveSmallIntegerField(
        _("commitment not to move out (years)"), null=True, blank=True
    )
    conditions = models.JSONField(
        _("conditions"), validators=[validate_program_conditions],
        help_text=_('A list of {"label": "中文说明", "rule": JsonLogic}; all must hold.'),
    )
    starts_with = models.JSONField(
        _("starts with the facts"), default=list, blank=True, validators=[validate_fact_kinds],
        help_text=_("Dated facts that must all have happened; in force from the latest of them."),
    )
    stops_with = models.JSONField(
        _("stops with the facts"), default=list, blank=True, validators=[validate_fact_kinds],
        help_text=_("The first of these dated facts stops the entitlement for good."),
    )
    description = models.TextField(_("who qualifies and when it stops"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[stacks_with])

    class Meta:
        ordering = ["code"]
        verbose_name = _("subsidy program")
        verbose_name_plural = _("subsidy programs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def citation(self) -> str:
        return f"{self.document.number} {self.clause}"


class HousingProgram(models.Model):
    """住房保障项目: public rental housing or a rent subsidy for settlers (绍柯 二(四)9)."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    document = models.ForeignKey("policies.PolicyDocument", verbose_name=_("policy document"), on_delete=models.PROTECT)
    clause = models.CharField(_("clause"), max_length=40)
    jurisdiction = models.ForeignKey("policies.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT)
    offers_public_rental = models.BooleanField(_("offers public rental housing"), default=True)
    offers_rent_subsidy = models.BooleanField(_("offers a rent subsidy"), default=True)
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum term in total (months)"), validators=[MinValueValidator(1)]
    )
    area_standard_sqm = models.DecimalField(
        _("housing area standard (m²)"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Below this area a family counts as under-housed; the notice leaves it to the local standard."),
    )
    rent_subsidy_monthly_fen = models.BigIntegerField(_("rent subsidy per month (fen)"), null=True, blank=True)
    who_may_apply = models.TextField(_("who may apply"))
    settled_first_within_tier = models.BooleanField(
        _("settled applicants first within the same tier"), default=True
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("housing program")
        verbose_name_plural = _("housing programs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
