from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneCode(models.Model):
    """短信验证码: a one-time code that proves a mobile number (sign-up, password reset). Only a salted
    hash of the code is kept; it expires, allows a few wrong tries, and is used once."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("sign-up")
        RESET = "reset", _("password reset")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    requested_for = models.CharField(
        _("number typed"), max_length=11, help_text=_("The mobile number the requester typed (resend limits).")
    )
    sent_to = models.CharField(
        _("sent to"), max_length=11, blank=True,
        help_text=_("Where the code went: the typed number, or the number on record for a claimed ID; empty "
                    "when nothing was sent."),
    )
    client_ip = models.GenericIPAddressField(_("requested from"))
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [
            models.Index(fields=["requested_for", "purpose", "-created_at"], name="phonecode_by_number"),
            models.Index(fields=["client_ip", "-created_at"], name="phonecode_by_address"),
            models.Index(fields=["sent_to", "-created_at"], name="phonecode_by_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"
