"""SMS codes as a service: hashed at rest, a silent cap per receiving phone (the phone on record of a
claimed ID number must not be flooded through other people's sign-ups), purged after 7 days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.errors import ApplicationError
from applications.models import PhoneCode
from applications.services.phone_codes import phone_code_check, phone_code_issue, phone_codes_purge

pytestmark = pytest.mark.django_db


def issue(requested_for: str, send_to: str | None, ip: str = "198.51.100.1") -> PhoneCode:
    return phone_code_issue(purpose=PhoneCode.Purpose.SIGNUP, requested_for=requested_for, send_to=send_to,
                            client_ip=ip, text=lambda code: f"验证码 {code}")


def test_one_phone_receives_at_most_its_daily_cap_and_nobody_can_tell(settings, sms_outbox):
    settings.SMS_CODES_PER_RECIPIENT_PER_DAY = 3
    rows = [issue(f"1390000{n:04d}", "13700000001", ip=f"198.51.100.{n}") for n in range(5)]
    assert len(sms_outbox.to("13700000001")) == 3
    assert [row.sent_to for row in rows] == ["13700000001"] * 3 + ["", ""]
    with pytest.raises(ApplicationError, match="验证码不正确"):  # as for any mistyped code
        phone_code_check(code_id=rows[-1].pk, purpose=PhoneCode.Purpose.SIGNUP, code="123456")


def test_a_code_is_used_once(sms_outbox):
    row = issue("13912345678", "13912345678")
    code = sms_outbox.code("13912345678")
    assert phone_code_check(code_id=row.pk, purpose=PhoneCode.Purpose.SIGNUP, code=code).pk == row.pk
    with pytest.raises(ApplicationError, match="已失效"):
        phone_code_check(code_id=row.pk, purpose=PhoneCode.Purpose.SIGNUP, code=code)
    with pytest.raises(ApplicationError, match="已失效"):  # nor for another purpose
        phone_code_check(code_id=row.pk, purpose=PhoneCode.Purpose.RESET, code=code)


def test_codes_older_than_seven_days_are_purged(sms_outbox):
    old, recent = issue("13912345678", "13912345678"), issue("13912345679", "13912345679")
    PhoneCode.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert phone_codes_purge() == 1
    assert list(PhoneCode.objects.values_list("pk", flat=True)) == [recent.pk]
