"""E-mail backends that print nothing secret."""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("hukou.mail")


def _masked(address: str) -> str:
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


class SummaryConsoleEmailBackend(BaseEmailBackend):
    """Development and the demo: instead of printing whole messages (the console backend wrote every
    body, reset links included, into the server log), log one line per message: masked recipients,
    subject and body length. Production uses SMTP."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.info("e-mail to %s: %r (%d characters, not shown)", ", ".join(map(_masked, message.recipients())),
                        message.subject, len(message.body or ""))
        return len(email_messages)
