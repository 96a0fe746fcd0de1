from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.validators import mask_id_number, validate_id_number
from policies.models import Follower


class FamilyMember(models.Model):
    """随迁人员: a relative who settles together with the applicant, as the route allows."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="family_members",
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Follower.choices)
    real_name = models.CharField(_("real name"), max_length=60)
    id_number = models.CharField(_("ID number"), max_length=18, validators=[validate_id_number])
    lives_with_applicant = models.BooleanField(
        _("lives with the applicant"), null=True, blank=True,
        help_text=_("共同居住生活: asked where the route requires it (嘉政 一)."),
    )

    class Meta:
        verbose_name = _("family member who follows")
        verbose_name_plural = _("family members who follow")
        constraints = [
            models.UniqueConstraint(fields=["application", "id_number"], name="familymember_once_per_application")
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.real_name}"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)
