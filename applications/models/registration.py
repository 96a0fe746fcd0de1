from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from policies.models import AddressOption


class Registration(models.Model):
    """落户登记: the settler registered at an address; its date is the settlement date."""

    application = models.OneToOneField(
        "applications.Application", verbose_name=_("application"), on_delete=models.PROTECT,
        related_name="registration",
    )
    registered_on = models.DateField(_("settlement date"))
    address_type = models.CharField(_("address type"), max_length=30, choices=AddressOption.choices)
    address = models.CharField(_("address"), max_length=200)
    registrar = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrar"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.application_id} {self.registered_on}"
