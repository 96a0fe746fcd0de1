from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policies.models.jurisdictions import code_validator


class Honour(models.Model):
    """荣誉称号: an honour that counts for settlement (绍柯 二(一)1 "劳动模范、优秀农民工等", district level
    or higher). The list ends in 等, so the policy admin extends it; the facts' ``honors`` take these codes
    and an unknown code is refused."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("lowest awarding level"), max_length=60, default="区（县）级")
    document = models.ForeignKey("policies.PolicyDocument", verbose_name=_("policy document"), on_delete=models.PROTECT)
    clause = models.CharField(_("clause"), max_length=40)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
