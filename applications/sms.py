"""SMS gateway interface. Production plugs in the government SMS platform (SMS_BACKEND, a class with
``send(*, phone, text)``); the backends here are stand-ins. None of them writes a text to a log: texts
carry one-time codes, and a phone number is logged masked."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from applications.validators import mask_phone

logger = logging.getLogger("applications.sms")


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Development and tests: every text is kept in this process's memory (``sent``, the outbox the
    tests read codes from); the log only says that a text went to a masked number."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        self.sent.append((phone, text))
        logger.info("SMS to %s (%d characters)", mask_phone(phone), len(text))


class FileSmsBackend(ConsoleSmsBackend):
    """The demo's phones (scripts/run.sh): each text is appended to SMS_OUTBOX_FILE (readable by its
    owner only), where whoever tries the demo reads the codes. Never for production."""

    def send(self, *, phone: str, text: str) -> None:
        super().send(phone=phone, text=text)
        path = Path(getattr(settings, "SMS_OUTBOX_FILE", settings.VAR_DIR / "sms-outbox.txt"))
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as outbox:
            outbox.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {phone} {text}\n")


def get_sms_backend() -> SmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", "applications.sms.ConsoleSmsBackend"))()
