"""The dashboard's aggregate tables: counts only, never a person.

They are rebuilt together, in one transaction, by ``dashboard.services.refresh.dashboard_refresh`` (the
nightly Celery job, or an analyst's "refresh now"), so the page reads a few thousand rows however many
cases there are. A month is stored as its first day; dates are Asia/Shanghai dates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Refresh(models.Model):
    """One rebuild of the aggregates; the page shows the last completed one's time."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(_("started from"), max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    as_of = models.DateField(_("data as of"), help_text=_("The day whose open cases the snapshot counts."))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.JSONField(_("rows written"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("dashboard refresh")
        verbose_name_plural = _("dashboard refreshes")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Aggregate(models.Model):
    """An aggregate row: counts only."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} #{self.pk}"


def _jurisdiction():
    return models.ForeignKey("policies.Jurisdiction", on_delete=models.CASCADE, related_name="+")


def _route(null: bool = False):
    return models.ForeignKey(
        "policies.SettlementRoute", on_delete=models.CASCADE, related_name="+", null=null, db_index=False
    )


class WorkingDayIndex(Aggregate):
    """Working days counted from an origin, for every day of the span the cases cover: the working days
    after day A up to and including day B are ``ordinal(B) - ordinal(A)`` (as add_working_days counts)."""

    date = models.DateField(primary_key=True)
    ordinal = models.IntegerField()


class SettlementCount(Aggregate):
    """落户登记 by month of the settlement date, jurisdiction, route, age band and education."""

    month = models.DateField()
    jurisdiction = _jurisdiction()
    route = _route()
    age_band = models.CharField(max_length=12)
    education = models.CharField(max_length=30)
    cases = models.IntegerField()
    persons = models.IntegerField(help_text="settlers and the family members who followed them")

    class Meta:
        indexes = [models.Index(fields=["month", "jurisdiction"], name="dash_settlement_month")]


class CaseCount(Aggregate):
    """Case events by month, jurisdiction, route and metric (see dashboard.services.refresh.METRICS).

    ``working_days``: the sum of the measured durations (for an average); ``promised_days``: the sum of
    the promised days of the same cases; ``late``: beyond the promise; ``over_legal``: beyond the law's limit.
    """

    month = models.DateField()
    jurisdiction = _jurisdiction()
    route = _route()
    metric = models.CharField(max_length=30)
    cases = models.IntegerField()
    working_days = models.BigIntegerField(default=0)
    promised_days = models.BigIntegerField(default=0)
    late = models.IntegerField(default=0)
    over_legal = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["metric", "month", "jurisdiction"], name="dash_case_metric_month")]


class CorrectionItemCount(Aggregate):
    """The materials named in correction notices (一次性告知), by month, jurisdiction, route and item."""

    month = models.DateField()
    jurisdiction = _jurisdiction()
    route = _route()
    material_code = models.CharField(max_length=60)
    material_name = models.CharField(max_length=200)
    items = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "jurisdiction"], name="dash_correction_month")]


class OpenCaseCount(Aggregate):
    """Open work on the refresh day, by jurisdiction, route and step: how much, how much overdue
    (past the promised due date, or for acceptance past the law's limit), and how much past the law."""

    jurisdiction = _jurisdiction()
    route = _route(null=True)
    step = models.CharField(max_length=20)
    cases = models.IntegerField()
    overdue = models.IntegerField(default=0)
    over_legal = models.IntegerField(default=0)


class RatingCount(Aggregate):
    """好差评 by month of the rating, the case's jurisdiction (the office), indicator and level."""

    month = models.DateField()
    jurisdiction = _jurisdiction()
    indicator = models.CharField(max_length=30)
    level = models.PositiveSmallIntegerField()
    ratings = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "jurisdiction"], name="dash_rating_month")]


class FollowUpCount(Aggregate):
    """差评整改 opened and resolved by month and jurisdiction, with the working days taken to resolve."""

    month = models.DateField()
    jurisdiction = _jurisdiction()
    opened = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolve_working_days = models.BigIntegerField(default=0)


class SpendCount(Aggregate):
    """Payments computed by the payment runs (应发), by month of their reference date, the settler's
    case's jurisdiction and program; with those flagged for recovery."""

    month = models.DateField()
    jurisdiction = _jurisdiction()
    program = models.ForeignKey("policies.SubsidyProgram", on_delete=models.CASCADE, related_name="+", db_index=False)
    payments = models.IntegerField()
    amount_fen = models.BigIntegerField()
    recovery_due = models.IntegerField(default=0)
    recovery_due_fen = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "jurisdiction"], name="dash_spend_month")]
