"""The notices' quantified aims (目标任务) and what measures them, as policy data.

An *indicator* is what is measured in a jurisdiction: either a count this system records itself (the
settlements it registers, optionally only some routes, education levels or age bands) or a figure the
office enters each year from outside statistics (the hukou and resident population, graduates' local
employment rate…). A *target* is one aim of a notice on an indicator, for a range of years, citing its
clause. Outside figures are entered per indicator and year (``IndicatorFigure``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policies.models.jurisdictions import code_validator
from policies.models.routes import _validate_code_list

# Age bands of the settlement statistics: 周岁 on the settlement date, [lower, upper). The edges are the
# notices' own age limits: 18–34 young people (绍柯 一), 35 and 45 (杭政 二(一)(二), 绍柯 二(一)1), 60 (投靠).
AGE_BANDS = [
    # code, label, lower (inclusive), upper (exclusive)
    ("under_18", _("Under 18"), None, 18),
    ("18_34", _("18 to 34"), 18, 35),
    ("35_44", _("35 to 44"), 35, 45),
    ("45_59", _("45 to 59"), 45, 60),
    ("60_plus", _("60 and over"), 60, None),
]
AGE_UNKNOWN = "unknown"
AGE_BAND_CODES = [code for code, *_rest in AGE_BANDS]

# The facts' education levels (shared/contracts/facts.schema.json), lowest first.
EDUCATION_LEVELS = [
    ("none", _("None")),
    ("high_school", _("High school")),
    ("secondary_vocational", _("Secondary vocational school (中专、技校)")),
    ("junior_college", _("Junior college (大专)")),
    ("bachelor", _("Bachelor's degree")),
    ("master", _("Master's degree")),
    ("doctor", _("Doctorate")),
]
EDUCATION_UNKNOWN = "unknown"
EDUCATION_CODES = [code for code, _label in EDUCATION_LEVELS]


def validate_education_levels(value) -> None:
    _validate_code_list(value, EDUCATION_CODES, _("education level"))


def validate_age_bands(value) -> None:
    _validate_code_list(value, AGE_BAND_CODES, _("age band"))


class Indicator(models.Model):
    """统计指标: what a target is measured by, in one jurisdiction (and everything below it)."""

    class Source(models.TextChoices):
        SYSTEM = "system", _("Counted by this system")
        OUTSIDE = "outside", _("Entered each year from outside statistics")

    class Measure(models.TextChoices):
        FLOW = "flow", _("A count for each year")
        LEVEL = "level", _("A level at the end of each year")

    class Unit(models.TextChoices):
        PERSONS = "persons", _("persons")
        PERCENT = "percent", _("per cent")
        ITEMS = "items", _("items")

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    jurisdiction = models.ForeignKey(
        "policies.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="indicators"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERSONS)
    definition = models.TextField(
        _("definition"), help_text=_("What is counted and, for an outside figure, which statistics it comes from.")
    )
    # Which settlements a system-counted indicator counts (every one where a list is empty).
    routes = models.ManyToManyField(
        "policies.SettlementRoute", verbose_name=_("only these routes"), blank=True, related_name="+"
    )
    education_levels = models.JSONField(
        _("only these education levels"), default=list, blank=True, validators=[validate_education_levels],
        help_text=_("Codes of the facts' education: none, high_school, secondary_vocational, junior_college, "
                    "bachelor, master, doctor."),
    )
    age_bands = models.JSONField(
        _("only these age bands"), default=list, blank=True, validators=[validate_age_bands],
        help_text=_("Age on the settlement date: under_18, 18_34, 35_44, 45_59, 60_plus."),
    )
    count_followers = models.BooleanField(
        _("count the family members who follow"), default=False,
        help_text=_("Count persons (the settler and everyone who follows) rather than cases."),
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    history = HistoricalRecords(m2m_fields=[routes])

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        if self.source == self.Source.SYSTEM:
            if self.measure != self.Measure.FLOW:
                raise ValidationError({"measure": _("This system counts settlements: a count for each year.")})
            if self.unit != self.Unit.PERSONS:
                raise ValidationError({"unit": _("This system counts settlements in persons.")})
        elif self.education_levels or self.age_bands:
            raise ValidationError(_("Only a system-counted indicator selects settlements."))


class Target(models.Model):
    """目标任务: one quantified aim of a notice on an indicator, for the years ``first_year``–``last_year``."""

    class Kind(models.TextChoices):
        PER_YEAR = "per_year", _("Each year: a count, or an increase of the level, of at least")
        LEVEL_EACH_YEAR = "level_each_year", _("Each year-end: a level of at least")
        BY_END = "by_end", _("By the end of the last year: a level (or a total) of at least")

    class Wording(models.TextChoices):
        AT_LEAST = "at_least", _("at least (不少于、以上)")
        ABOUT = "about", _("about (左右)")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    document = models.ForeignKey("policies.PolicyDocument", verbose_name=_("policy document"), on_delete=models.PROTECT)
    clause = models.CharField(_("clause"), max_length=40)
    quote = models.TextField(_("the notice's words"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    wording = models.CharField(_("wording"), max_length=10, choices=Wording.choices, default=Wording.AT_LEAST)
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=[MinValueValidator(1990)])
    last_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("Empty: every year from the first on.")
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__sort_order", "indicator__code", "kind", "first_year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="target_years_ordered",
                violation_error_message=_("The last year cannot precede the first."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="by_end") | Q(last_year__isnull=False),
                name="target_by_end_has_last_year",
                violation_error_message=_("A target to reach by the end needs its last year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.first_year}–{self.last_year or ''}"

    @property
    def citation(self) -> str:
        return f"{self.document.number} {self.clause}"

    def applies_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def clean(self):
        super().clean()
        indicator = getattr(self, "indicator", None)
        each_year = self.kind == self.Kind.LEVEL_EACH_YEAR
        if indicator is not None and each_year and indicator.measure != Indicator.Measure.LEVEL:
            raise ValidationError({"kind": _("Only a level can be required at each year-end.")})


class IndicatorFigure(models.Model):
    """年度统计数: the value of an outside indicator for one year (at year end, or as of an earlier day
    for a preliminary figure), entered by the office from the statistics its definition names."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures",
        limit_choices_to={"source": Indicator.Source.OUTSIDE},
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    as_of = models.DateField(
        _("as of"), help_text=_("The day the figure describes: 31 December for a year-end figure.")
    )
    source = models.CharField(_("source of the figure"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("yearly figure")
        verbose_name_plural = _("yearly figures")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicatorfigure_once_per_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self):
        super().clean()
        if self.as_of and self.year and self.as_of.year != self.year:
            raise ValidationError({"as_of": _("The day must fall in the figure's year.")})
        indicator = getattr(self, "indicator", None)
        if indicator is not None and indicator.source != Indicator.Source.OUTSIDE:
            raise ValidationError({"indicator": _("This indicator is counted by the system: nothing to enter.")})


class StatutoryTimeLimit(models.Model):
    """法定时限: the law's working-day limits a case is measured against, beside the promised days."""

    class Code(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Decide on acceptance (accept, refuse or ask for the one correction)")
        DECISION = "decision", _("Decide the application after acceptance")

    code = models.CharField(_("step"), max_length=20, choices=Code.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days"), validators=[MinValueValidator(1)])
    citation = models.CharField(_("legal basis"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("statutory time limit")
        verbose_name_plural = _("statutory time limits")

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.working_days}"


class ProgramBudget(models.Model):
    """年度预算: the money set aside for one subsidy program in one year (integer fen)."""

    program = models.ForeignKey(
        "policies.SubsidyProgram", verbose_name=_("program"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    amount_fen = models.BigIntegerField(_("budget (fen)"), validators=[MinValueValidator(0)])
    basis = models.CharField(_("budget document"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "year"]
        verbose_name = _("program budget")
        verbose_name_plural = _("program budgets")
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="programbudget_once_per_year"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="programbudget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.year}"
