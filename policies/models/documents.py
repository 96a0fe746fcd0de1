from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PolicyDocument(models.Model):
    """政策文件: a published notice; its routes are in force while the notice is."""

    number = models.CharField(_("document number (文号)"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=100)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Last day in force; empty: open-ended.")
    )
    supersedes = models.ManyToManyField(
        "self", verbose_name=_("supersedes"), symmetrical=False, blank=True, related_name="superseded_by"
    )
    history = HistoricalRecords(m2m_fields=[supersedes])

    class Meta:
        ordering = ["in_force_from", "number"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True) | Q(in_force_until__gte=F("in_force_from")),
                name="policydocument_period_ordered",
                violation_error_message=_("The last day in force cannot precede the first."),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def in_force_on(self, day) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)
