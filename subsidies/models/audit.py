from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """审计记录: who changed what in the subsidies app, written in the same transaction as the change.
    Never edited. (Rows edited in the admin also keep a django-simple-history trail.)"""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    target_type = models.CharField(_("object type"), max_length=30)
    target_id = models.BigIntegerField(_("object id"))
    summary = models.CharField(_("summary"), max_length=300)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"], name="subsidyaudit_by_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
