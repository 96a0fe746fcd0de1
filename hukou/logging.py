"""Logging that never writes a secret or a full ID number.

``RedactingFormatter`` is the formatter of every log handler (settings.LOGGING; Celery workers use the
same configuration, gunicorn's access log is off, see deploy/gunicorn.conf.py). After a record is
formatted — message, arguments and traceback alike — it masks:

- ID numbers (18 characters, GB 11643): region and check part kept, 330621********123X;
- mainland mobile numbers: 139****5678;
- values of secret-looking parameters in URLs, forms and headers (password, token, code, secret,
  sessionid, csrf…): password=***;
- the token part of a password-reset link (/reset/<uid>/<token>/), and SMS codes (验证码 ******).

It is the last line of defence: the product's own log lines name rows by id, not people by number.
"""

from __future__ import annotations

import logging
import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_SECRET_VALUE = re.compile(
    r"(?i)\b([\w-]*(?:password|passwd|secret|token|csrf|sessionid|api[_-]?key|authorization|id_number|"
    r"\bcode)[\w-]*)(\s*[=:]\s*|\"\s*:\s*\"|'\s*:\s*')([^\s&\"',;]+)"
)
_RESET_LINK = re.compile(r"(/reset/[\w-]+/)[\w-]+(/?)")
_SMS_CODE = re.compile(r"(验证码\D{0,3})\d{4,8}")


def redact(text: str) -> str:
    text = _RESET_LINK.sub(r"\1***\2", text)
    text = _SMS_CODE.sub(r"\1******", text)
    text = _SECRET_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _PHONE.sub(r"\1****\2", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
