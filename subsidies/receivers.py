"""Subscriber of applications' registration event (sent on commit). Thin: the service does the work.
A failure here must not fail the registration, which is already committed: it is logged, and the
daily job takes in any registration that was missed."""

import logging

from subsidies.services.intake import entitlements_create_for_registration

logger = logging.getLogger(__name__)


def on_application_registered(sender, *, registration_id: int, route_code: str, **kwargs) -> None:
    try:
        entitlements_create_for_registration(registration_id=registration_id)
    except Exception:
        logger.exception("entitlements for registration %s (%s) not created; the daily job retries",
                         registration_id, route_code)
