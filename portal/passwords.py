"""Password rule of the portal, on top of Django's (length, common passwords, not only digits)."""

from django.core.exceptions import ValidationError


class LettersAndDigitsValidator:
    """A password must mix letters and digits."""

    def validate(self, password: str, user=None) -> None:
        if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
            raise ValidationError("密码须同时包含字母和数字。", code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字。"
