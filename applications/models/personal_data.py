"""个人信息访问留痕: an append-only, hash-chained record of every staff view of personal data.

Each row stores a SHA-256 over its own content and the previous row's hash; the single chain head row
(locked FOR UPDATE by every writer) holds the last hash, so that rows removed from the end are noticed
too. A PostgreSQL trigger refuses UPDATE and DELETE on the rows except the retention purge, which may
delete only rows older than the cut-off it declares and leaves the hash before the first kept row in
the head (the anchor). ``python manage.py audit_verify`` walks the chain.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    class Kind(models.TextChoices):
        CASE_PAGE = "case_page", _("Case page")
        MATERIAL_FILE = "material_file", _("Material file")
        ID_NUMBER = "id_number", _("Full ID number")
        DOCUMENT = "document", _("PDF document")
        EXPORT = "export", _("Export")
        ID_SEARCH = "id_search", _("Search by ID number")
        RECORD_PAGE = "record_page", _("Personal record page")
        PURGE = "purge", _("Retention purge")

    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff user"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    client_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [
            models.Index(fields=["applicant", "at"], name="pdaccess_by_person"),
            models.Index(fields=["user", "at"], name="pdaccess_by_user"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.username} {self.kind}"


class PersonalDataAuditHead(models.Model):
    """The chain's head: one row (id 1). ``last_hash``/``last_id``: the newest row; ``anchor_hash``: the
    hash before the oldest row still kept (empty until the first purge)."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    anchor_hash = models.CharField(max_length=64, blank=True)
    anchor_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("personal data audit chain head")
        verbose_name_plural = _("personal data audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="pdaudit_head_single_row")]

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"
