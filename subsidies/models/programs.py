from django.db import models
from django.utils.translation import gettext_lazy as _

from policies.models import SubsidyProgram


class PaymentProgram(SubsidyProgram):
    """The policy table's subsidy programs as finance sees them: where payment runs are started."""

    class Meta:
        proxy = True
        verbose_name = _("program to pay")
        verbose_name_plural = _("programs to pay")


class RegistrationIntake(models.Model):
    """A registration whose entitlements have been worked out (so a missed registration event is
    caught up by the daily job, and a repeated one changes nothing)."""

    registration = models.OneToOneField(
        "applications.Registration", verbose_name=_("registration"), on_delete=models.PROTECT,
        primary_key=True, related_name="subsidy_intake",
    )
    processed_at = models.DateTimeField(_("processed at"), auto_now_add=True)
    entitlements = models.PositiveSmallIntegerField(_("entitlements created"), default=0)

    class Meta:
        verbose_name = _("registration taken in")
        verbose_name_plural = _("registrations taken in")

    def __str__(self) -> str:
        return str(self.registration_id)
