"""短信验证码: one-time codes that prove a mobile number, sent through the pluggable SMS backend
(applications.sms). Kept as a salted hash; a code expires (SMS_CODE_TTL_SECONDS), allows
SMS_CODE_MAX_ATTEMPTS wrong tries and is used once. Limits, all counted in the database so that they
hold with the cache down: one code per typed number per SMS_CODE_RESEND_SECONDS and
SMS_CODES_PER_NUMBER_PER_HOUR an hour, SMS_CODES_PER_ADDRESS_PER_HOUR per client address, and at most
SMS_CODES_PER_RECIPIENT_PER_DAY texts to one phone (beyond that nothing is sent, silently: the number
that receives a code is not always the one typed, see applications.services.accounts)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from applications.errors import ApplicationError
from applications.models import PhoneCode
from applications.sms import get_sms_backend

logger = logging.getLogger("applications.phone_codes")

EXPIRED = "验证码已失效，请重新获取"


class CodeLimitError(ApplicationError):
    """Too many codes asked for (HTTP 429): the message says when to try again."""


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _hash(row_purpose: str, recipient: str, code: str) -> str:
    return salted_hmac(f"applications.phone_code.{row_purpose}", f"{recipient}:{code}").hexdigest()


def _check_limits(*, purpose: str, requested_for: str, client_ip: str, now) -> None:
    recent = PhoneCode.objects.filter(created_at__gte=now - timedelta(hours=1))
    last = recent.filter(requested_for=requested_for, purpose=purpose).order_by("-created_at").first()
    wait = _setting("SMS_CODE_RESEND_SECONDS", 60)
    if last is not None and (now - last.created_at).total_seconds() < wait:
        left = wait - int((now - last.created_at).total_seconds())
        raise CodeLimitError("phone", f"验证码已发送，请 {left} 秒后再重新获取")
    if recent.filter(requested_for=requested_for, purpose=purpose).count() >= _setting(
            "SMS_CODES_PER_NUMBER_PER_HOUR", 5):
        raise CodeLimitError("phone", "该手机号获取验证码次数过多，请一小时后再试")
    if recent.filter(client_ip=client_ip).count() >= _setting("SMS_CODES_PER_ADDRESS_PER_HOUR", 10):
        raise CodeLimitError("phone", "您所在网络获取验证码过于频繁，请一小时后再试")


def phone_code_issue(*, purpose: str, requested_for: str, send_to: str | None, client_ip: str,
                     text: Callable[[str], str]) -> PhoneCode:
    """Make a code for ``requested_for`` (the number typed) and text it to ``send_to`` (None: send
    nothing, yet answer alike). ``text(code)`` is the SMS. Refused with CodeLimitError past a limit."""
    now = timezone.now()
    _check_limits(purpose=purpose, requested_for=requested_for, client_ip=client_ip, now=now)
    if send_to and PhoneCode.objects.filter(sent_to=send_to, created_at__gte=now - timedelta(days=1)).count() >= \
            _setting("SMS_CODES_PER_RECIPIENT_PER_DAY", 10):
        logger.warning("SMS code not sent: the daily cap of one recipient was reached (code purpose %s)", purpose)
        send_to = None
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneCode.objects.create(
        purpose=purpose, requested_for=requested_for, sent_to=send_to or "", client_ip=client_ip,
        code_hash=_hash(purpose, send_to or secrets.token_hex(8), code),
        expires_at=now + timedelta(seconds=_setting("SMS_CODE_TTL_SECONDS", 600)),
    )
    if send_to:
        try:
            get_sms_backend().send(phone=send_to, text=text(code))
        except Exception:
            PhoneCode.objects.filter(pk=row.pk).update(used_at=now)
            logger.exception("SMS code #%s could not be sent", row.pk)
            raise ApplicationError("phone", "短信发送失败，请稍后再试") from None
    return row


def phone_code_check(*, code_id: int | None, purpose: str, code: str) -> PhoneCode:
    """Use the code: the row if ``code`` is right, unexpired, unused and within the tries;
    ApplicationError("code", …) otherwise (a wrong try is counted even though the call fails). A row
    for which nothing was sent answers exactly like one whose code is mistyped (its hash matches no
    code), so the answers tell nothing about where, or whether, a code went."""
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        row = PhoneCode.objects.select_for_update().filter(pk=code_id or 0, purpose=purpose).first()
        if row is None or row.used_at is not None or row.expires_at <= now:
            outcome = ApplicationError("code", EXPIRED)
        elif row.attempts >= _setting("SMS_CODE_MAX_ATTEMPTS", 5):
            outcome = ApplicationError("code", "验证码错误次数过多，请重新获取")
        elif not constant_time_compare(row.code_hash, _hash(purpose, row.sent_to, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            outcome = ApplicationError("code", "验证码不正确")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            return row
    raise outcome


KEEP_FOR = timedelta(days=7)


def phone_codes_purge(*, now=None) -> int:
    """SMS codes (hashes, numbers, addresses) are kept 7 days, for the limits, then deleted."""
    deleted, _ = PhoneCode.objects.filter(created_at__lt=(now or timezone.now()) - KEEP_FOR).delete()
    return deleted
