"""Identity numbers: 居民身份证号码 (GB 11643, checked with python-stdnum)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


def validate_id_number(value: str) -> None:
    try:
        ric.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Not a valid resident identity card number (18 characters, last one a check digit or X)."),
            code="invalid_id_number",
        ) from None


def normalize_id_number(value: str) -> str:
    return ric.compact(value).upper()


def mask_id_number(value: str) -> str:
    """330621********123X: region kept, birth date and sequence hidden, check character kept."""
    if not value or len(value) < 10:
        return "*" * len(value or "")
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    if not value or len(value) < 7:
        return value
    return f"{value[:3]}****{value[-4:]}"
