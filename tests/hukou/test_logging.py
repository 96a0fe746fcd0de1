"""No secret, SMS code, reset token or full ID number in a log line: the redacting formatter of every
handler, the access log without query strings, and backends (e-mail, SMS) that do not print texts.
The scenarios run through the handler the settings configure, and its output is read back."""

from __future__ import annotations

import io
import logging
import re
import sys
from datetime import date

import pytest
from django.urls import reverse

from applications.models import Applicant
from applications.services.drafts import application_create
from applications.services.notifications import notification_create, notification_deliver_now
from hukou.logging import RedactingFormatter, redact
from tests.applications.factories import GRADUATE_FACTS, id_number

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@pytest.mark.parametrize(("raw", "shown"), [
    ("GET /x/?id_number=33062119950501001X&page=2", "GET /x/?id_number=***&page=2"),
    ("applicant 330621199505010011 filed", "applicant 330621********0011 filed"),
    ("SMS to 13912345678", "SMS to 139****5678"),
    ("您正在注册账号，验证码 123456，10 分钟内有效", "您正在注册账号，验证码 ******，10 分钟内有效"),
    ('{"password": "s3cret-1", "token": "abc"}', '{"password": "***", "token": "***"}'),
    ("sessionid=abcd; csrftoken=xyz", "sessionid=***; csrftoken=***"),
    ("/accounts/reset/MQ/c1x2-abcdef123/", "/accounts/reset/MQ/***/"),
    ("case SXKQ-20260302-7K3Q9M, payment run 5: 1000/40000", "case SXKQ-20260302-7K3Q9M, payment run 5: 1000/40000"),
])
def test_what_the_formatter_masks(raw, shown):
    assert redact(raw) == shown


def test_tracebacks_are_masked_too():
    formatter = RedactingFormatter("%(message)s")
    try:
        raise ValueError("no applicant 330621199505010011")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info())
    text = formatter.format(record)
    assert "Traceback" in text and "330621199505010011" not in text and "330621********0011" in text


@pytest.fixture
def server_log():
    """What the configured console handler writes (its stream swapped for a buffer)."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, RedactingFormatter)]
    assert handlers, "settings.LOGGING's console handler formats through RedactingFormatter"
    buffer = io.StringIO()
    saved = [h.setStream(buffer) for h in handlers]
    yield buffer
    for handler, stream in zip(handlers, saved, strict=True):
        handler.setStream(stream)


@pytest.mark.django_db
def test_sign_up_reset_notifications_and_searches_leave_no_secret_in_the_server_log(
        client, server_log, sms_outbox, settings):
    settings.EMAIL_BACKEND = "hukou.mail.SummaryConsoleEmailBackend"  # the default (docker-compose too)
    number = id_number(date(1995, 5, 1))
    client.post(reverse("portal:signup"), {"real_name": "陈小明", "id_number": number, "phone": "13912345678"})
    signup_code = sms_outbox.code("13912345678")
    client.post(reverse("portal:signup_verify"), {"code": signup_code, "email": "xm@example.com",
                                                  "password1": "Hz-settle-2026", "password2": "Hz-settle-2026"})
    client.post(reverse("portal:logout"))
    client.post(reverse("portal:password_reset"), {"phone": "13912345678"})
    reset_code = sms_outbox.code("13912345678")
    client.post(reverse("portal:password_reset_verify"), {"code": reset_code, "password1": "New-pass-2026",
                                                          "password2": "New-pass-2026"})
    client.get("/api/v1/subsidies/facts/", {"id_number": number, "token": "tok-123"})
    client.get(f"/healthz?id_number={number}")

    applicant = Applicant.objects.get(phone="13912345678")
    application = application_create(applicant=applicant, route_code="kq.graduate", jurisdiction_code="sx.kq",
                                     facts=GRADUATE_FACTS)
    note = notification_create(application=application, subject="您的申请已收件", body=f"身份证 {number} 的申请")
    notification_deliver_now(notification_id=note.pk)

    log = server_log.getvalue()
    assert 'hukou.access 127.0.0.1 "POST /accounts/signup/verify/" 302' in log
    assert '"GET /api/v1/subsidies/facts/" 403' in log and '"GET /healthz" ' in log
    assert "SMS to 139****5678" in log and "e-mail to x***@example.com: '您的申请已收件'" in log
    for secret in (number, "13912345678", signup_code, reset_code, "Hz-settle-2026", "New-pass-2026",
                   "tok-123", "身份证 "):
        assert secret not in log, secret
    assert not ID_NUMBER.search(log)
