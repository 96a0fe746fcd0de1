from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def material_upload_to(instance, filename: str) -> str:
    # Random name: the original name is kept in the row, never used as a path.
    import uuid

    return f"materials/{instance.application_id}/{uuid.uuid4().hex}"


class Material(models.Model):
    """申请材料: one uploaded file for one item of the route's checklist, and its review."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed yet")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="materials",
    )
    checklist_code = models.CharField(_("checklist item"), max_length=60)
    file = models.FileField(_("file"), upload_to=material_upload_to)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_reason = models.TextField(_("review reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["application", "checklist_code", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.checklist_code}: {self.original_name}"


class CorrectionNotice(models.Model):
    """一次性告知书: every missing or rejected material of a case, listed in one notice."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="correction_notices",
    )
    items = models.JSONField(_("items to correct"), help_text=_('[{"code", "name", "reason"}]'))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction notice")
        verbose_name_plural = _("correction notices")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.issued_at:%Y-%m-%d}"
