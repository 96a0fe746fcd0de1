from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from subsidies import rules


class FactEvent(models.Model):
    """A dated fact about a settled person that decides whether a period is paid: graduated, found a
    job, changed employer, moved the hukou out. Recorded by clerks (admin or API) or taken from the
    facts declared at registration; never edited, only revoked with a reason."""

    class Kind(models.TextChoices):
        GRADUATED = rules.GRADUATED, _("Graduated")
        EMPLOYED = rules.EMPLOYED, _("Found employment")
        EMPLOYER_CHANGED = rules.EMPLOYER_CHANGED, _("Changed employer")
        HUKOU_MOVED_OUT = rules.HUKOU_MOVED_OUT, _("Hukou moved out")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Declared at registration")
        ADMIN = "admin", _("Recorded in the admin")
        API = "api", _("Recorded through the API")

    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("settler"), on_delete=models.PROTECT,
        related_name="subsidy_fact_events",
    )
    kind = models.CharField(_("fact"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    employer = models.ForeignKey(
        "subsidies.Employer", verbose_name=_("employer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="fact_events",
    )
    in_district = models.BooleanField(
        _("employment in the district"), default=True,
        help_text=_("For a new employment: whether the employer is in the district (安心补贴 needs it)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["applicant", "occurred_on", "id"]
        verbose_name = _("fact event")
        verbose_name_plural = _("fact events")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "kind", "occurred_on"], condition=Q(revoked_at__isnull=True),
                name="factevent_once_per_person_kind_day",
            ),
        ]
        indexes = [models.Index(fields=["applicant", "occurred_on"], name="factevent_by_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
