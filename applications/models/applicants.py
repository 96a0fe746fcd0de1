from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.validators import mask_id_number, mask_phone, validate_id_number

phone_validator = RegexValidator(r"^1\d{10}$", _("A mainland mobile number: 11 digits starting with 1."))


class Applicant(models.Model):
    """申请人: the person who files, tied to a login account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="applicant"
    )
    real_name = models.CharField(_("real name"), max_length=60)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, validators=[validate_id_number])
    phone = models.CharField(_("mobile phone"), max_length=11, validators=[phone_validator])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")

    def __str__(self) -> str:
        return f"{self.real_name}（{self.id_number_masked}）"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
