from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models.applications import ApplicationState


class ApplicationTransition(models.Model):
    """办件流转记录: who moved a case from which state to which, when and why. Never edited."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="transitions",
    )
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=30, choices=ApplicationState.choices)
    target = models.CharField(_("to"), max_length=30, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.source} → {self.target}"
