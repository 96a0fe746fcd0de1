from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def uscc_compact(value: str) -> str:
    return uscc.compact(value or "")


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters and the check character (python-stdnum)."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length") from None
    except InvalidFormat:
        raise ValidationError(
            _("A unified social credit code has 8 digits, then digits and capital letters except I, O, S, V, Z."),
            code="uscc_format",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."), code="uscc_checksum"
        ) from None
    except StdnumError:
        raise ValidationError(_("Not a valid unified social credit code."), code="uscc") from None


class Employer(models.Model):
    """用人单位: the employer that guided a settler (绍柯 二(二)5), identified by its credit code."""

    name = models.CharField(_("name"), max_length=120)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc],
        help_text=_("18 characters: digits and capital letters."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"
