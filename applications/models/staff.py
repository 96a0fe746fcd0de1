from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffJurisdiction(models.Model):
    """Which jurisdictions a clerk, approver or registrar works for (and so whose cases they see)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE,
        related_name="staff_jurisdictions",
    )
    jurisdiction = models.ForeignKey(
        "policies.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("staff jurisdiction")
        verbose_name_plural = _("staff jurisdictions")
        constraints = [models.UniqueConstraint(fields=["user", "jurisdiction"], name="staffjurisdiction_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.jurisdiction.code}"
