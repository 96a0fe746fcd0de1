"""SMS gateway interface. Production plugs in the government SMS platform; the console backend logs."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("applications.sms")


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    sent: list[tuple[str, str]] = []  # kept for inspection in development and tests

    def send(self, *, phone: str, text: str) -> None:
        self.sent.append((phone, text))
        logger.info("SMS to %s: %s", phone, text)


def get_sms_backend() -> SmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", "applications.sms.ConsoleSmsBackend"))()
