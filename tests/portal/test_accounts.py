"""Sign up and password reset prove the phone with an SMS code (read here from the SMS outbox, as the
phone's holder would); sign-up never tells whether an ID number has an account; logins are throttled
per account and address (django-axes) and per address across accounts; every refusal in Chinese beside
its field, with what was typed kept."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications.models import Applicant, PhoneCode
from tests.applications.factories import ApplicantFactory, UserFactory, id_number

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Hz-settle-2026"


def start_data(**overrides):
    data = {"real_name": "陈小明", "id_number": id_number(), "phone": "13912345678"}
    data.update(overrides)
    return data


def finish_data(code: str, **overrides):
    data = {"code": code, "email": "xm@example.com", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return data


def sign_up(client, sms_outbox, *, next_url: str | None = None, **overrides):
    """Both steps, reading the code from the phone it went to. Returns (step-one data, final response)."""
    data = start_data(**overrides)
    query = f"?next={next_url}" if next_url else ""
    extra = {"next": next_url} if next_url else {}
    first = client.post(reverse("portal:signup") + query, {**data, **extra})
    assert first.status_code == 302 and first["Location"] == reverse("portal:signup_verify"), first.content
    recipient = overrides.get("_to", data["phone"])
    return data, client.post(reverse("portal:signup_verify"), finish_data(sms_outbox.code(recipient)))


def same_page(html: str, masked: str) -> str:
    """A page with what differs by design taken out: the masked number typed and the CSRF token."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)
    return html.replace(masked, "<number>")


def field_error(html: str, field: str) -> str:
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert error is not None, html
    return error.group(1)


def test_sign_up_texts_a_code_then_creates_the_account_and_logs_in(client, sms_outbox):
    data, response = sign_up(client, sms_outbox)
    assert response.status_code == 302 and response["Location"] == reverse("portal:check")
    applicant = Applicant.objects.get(phone="13912345678")
    assert applicant.real_name == "陈小明" and applicant.id_number == data["id_number"]
    assert applicant.user.username == "13912345678" and applicant.user.check_password(PASSWORD)
    assert "注册成功" in client.get(reverse("portal:check")).content.decode()
    assert client.get(reverse("portal:cases")).status_code == 200


def test_the_code_is_kept_hashed_expires_and_allows_few_tries(client, sms_outbox, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    client.post(reverse("portal:signup"), start_data())
    code = sms_outbox.code("13912345678")
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and row.sent_to == "13912345678" and row.client_ip == "127.0.0.1"
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        refused = client.post(reverse("portal:signup_verify"), finish_data(wrong))
        assert refused.status_code == 400 and "验证码不正确" in field_error(refused.content.decode(), "code")
    spent = client.post(reverse("portal:signup_verify"), finish_data(code))  # the right one, too late
    assert "验证码错误次数过多" in field_error(spent.content.decode(), "code")
    assert not User.objects.filter(username="13912345678").exists()


def test_an_expired_code_is_refused(client, sms_outbox):
    from datetime import timedelta

    from django.utils import timezone

    client.post(reverse("portal:signup"), start_data())
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = client.post(reverse("portal:signup_verify"), finish_data(sms_outbox.code("13912345678")))
    assert "验证码已失效，请重新获取" in field_error(refused.content.decode(), "code")


def test_a_code_is_not_resent_within_the_cooldown(client, sms_outbox):
    assert client.post(reverse("portal:signup"), start_data()).status_code == 302
    again = client.post(reverse("portal:signup"), start_data())
    assert again.status_code == 429 and "秒后再重新获取" in field_error(again.content.decode(), "phone")
    assert len(sms_outbox.to("13912345678")) == 1


def test_one_address_gets_a_bounded_number_of_codes(client, sms_outbox, settings):
    """30 accounts in 83 s from one address were possible: now each needs a code, and codes per
    address are limited."""
    settings.SMS_CODES_PER_ADDRESS_PER_HOUR = 10
    codes = [client.post(reverse("portal:signup"), start_data(phone=f"139000000{n:02d}")).status_code
             for n in range(12)]
    assert codes == [302] * 10 + [429, 429]
    assert PhoneCode.objects.count() == 10


def test_a_registered_id_number_is_never_revealed(client, sms_outbox):
    """The impostor sees exactly what anyone sees; the code goes to the phone on record, and without it
    step two fails as for a mistyped code."""
    owner = ApplicantFactory(phone="13700000001")
    free = client.post(reverse("portal:signup"), start_data(phone="13912345670"))
    free_page = client.get(reverse("portal:signup_verify")).content.decode()
    taken = client.post(reverse("portal:signup"), start_data(id_number=owner.id_number))
    taken_page = client.get(reverse("portal:signup_verify")).content.decode()
    assert (free.status_code, free["Location"]) == (taken.status_code, taken["Location"])
    assert same_page(free_page, "139****5670") == same_page(taken_page, "139****5678")
    assert "已由其他账号登记" not in taken_page
    assert sms_outbox.to("13912345678") == [] and len(sms_outbox.to("13700000001")) == 1

    guess = client.post(reverse("portal:signup_verify"), finish_data("123456"))
    assert "验证码不正确" in field_error(guess.content.decode(), "code")
    assert not User.objects.filter(username="13912345678").exists()
    assert owner.user.check_password("Pw-for-tests-1")


def test_the_owner_of_a_registered_id_number_recovers_the_account_by_the_phone_on_record(client, sms_outbox):
    owner = ApplicantFactory(phone="13700000001")
    client.post(reverse("portal:signup"), start_data(id_number=owner.id_number, phone="13912345678"))
    done = client.post(reverse("portal:signup_verify"), finish_data(sms_outbox.code("13700000001")))
    assert done.status_code == 302
    owner.user.refresh_from_db()
    assert owner.user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(owner.user.pk)
    assert Applicant.objects.count() == 1 and not User.objects.filter(username="13912345678").exists()
    assert "账号已找回" in client.get(reverse("portal:check")).content.decode()


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"real_name": ""}, "real_name", "请填写真实姓名"),
        ({"id_number": "330621199001011231"}, "id_number", "身份证号码无效"),
        ({"phone": "23912345678"}, "phone", "手机号码应为以 1 开头的 11 位数字"),
    ],
)
def test_step_one_refuses_bad_input_beside_the_field_and_keeps_it(client, sms_outbox, override, field, message):
    data = start_data(**override)
    response = client.post(reverse("portal:signup"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_error(html, field)
    for kept in ("real_name", "id_number", "phone"):
        if data[kept]:
            assert f'value="{data[kept]}"' in html
    assert not PhoneCode.objects.exists() and sms_outbox.to(data["phone"]) == []


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "请填写有效的电子邮箱"),
        ({"password2": "Hz-settle-2027"}, "password2", "两次输入的密码不一致"),
        ({"password1": "abcdefgh", "password2": "abcdefgh"}, "password1", "密码须同时包含字母和数字"),
        ({"password1": "a1", "password2": "a1"}, "password1", "此密码太短"),
    ],
)
def test_step_two_refuses_bad_input_without_spending_the_code(client, sms_outbox, override, field, message):
    client.post(reverse("portal:signup"), start_data())
    code = sms_outbox.code("13912345678")
    response = client.post(reverse("portal:signup_verify"), finish_data(code, **override))
    assert response.status_code == 400 and message in field_error(response.content.decode(), field)
    assert PhoneCode.objects.get().attempts == 0
    assert client.post(reverse("portal:signup_verify"), finish_data(code)).status_code == 302


def test_a_phone_already_registered_is_told_only_to_its_proven_holder(client, sms_outbox):
    UserFactory(username="13912345678")
    client.post(reverse("portal:signup"), start_data())
    taken = client.post(reverse("portal:signup_verify"), finish_data(sms_outbox.code("13912345678")))
    assert "该手机号已注册" in taken.content.decode()


def test_login_and_wrong_password_in_chinese(client, sms_outbox):
    sign_up(client, sms_outbox)
    client.post(reverse("portal:logout"))
    wrong = client.post(reverse("portal:login"), {"username": "13912345678", "password": "nope-1234"})
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "手机号或密码不正确" in html and 'value="13912345678"' in html
    ok = client.post(reverse("portal:login"), {"username": "13912345678", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == reverse("portal:cases")


def test_failed_logins_are_throttled_by_axes(client, sms_outbox, settings):
    sign_up(client, sms_outbox)
    client.post(reverse("portal:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("portal:login"), {"username": "13912345678", "password": "x"}).status_code == 400
    locked = client.post(reverse("portal:login"), {"username": "13912345678", "password": "x"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # even the right password is refused while locked out
    right = client.post(reverse("portal:login"), {"username": "13912345678", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_spraying_from_one_address_is_stopped(client, settings):
    """40 usernames × 1 password: each username fails once (axes' per-account limit never trips), yet
    the address is locked after LOGIN_FAILURES_PER_ADDRESS failures — even for a right password."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    victim = UserFactory(username="13800000099")
    codes = [client.post(reverse("portal:login"), {"username": f"138000000{n:02d}", "password": "Summer-2026"})
             .status_code for n in range(40)]
    assert codes[:20] == [400] * 20 and set(codes[20:]) == {429}
    right = client.post(reverse("portal:login"), {"username": victim.username, "password": "Pw-for-tests-1"})
    assert right.status_code == 429 and "_auth_user_id" not in client.session


def test_password_reset_by_sms_code(client, sms_outbox):
    sign_up(client, sms_outbox)
    client.post(reverse("portal:logout"))
    sent = client.post(reverse("portal:password_reset"), {"phone": "13912345678"})
    assert sent.status_code == 302 and sent["Location"] == reverse("portal:password_reset_verify")
    code = sms_outbox.code("13912345678")
    mismatch = client.post(reverse("portal:password_reset_verify"),
                           {"code": code, "password1": "New-pass-2026", "password2": "Other-2026"})
    assert "两次输入的密码不一致" in mismatch.content.decode()
    done = client.post(reverse("portal:password_reset_verify"),
                       {"code": code, "password1": "New-pass-2026", "password2": "New-pass-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("portal:password_reset_complete")
    assert User.objects.get(username="13912345678").check_password("New-pass-2026")
    replay = client.post(reverse("portal:password_reset_verify"),
                         {"code": code, "password1": "Third-pass-2026", "password2": "Third-pass-2026"})
    assert replay.status_code == 302 and replay["Location"] == reverse("portal:password_reset")  # used up


def test_password_reset_says_the_same_for_an_unknown_number_and_sends_nothing(client, sms_outbox):
    ApplicantFactory(user=UserFactory(username="13912345678"), phone="13912345678")
    known = client.post(reverse("portal:password_reset"), {"phone": "13912345678"})
    known_page = client.get(reverse("portal:password_reset_verify")).content.decode()
    unknown = client.post(reverse("portal:password_reset"), {"phone": "13912345679"})
    unknown_page = client.get(reverse("portal:password_reset_verify")).content.decode()
    assert known["Location"] == unknown["Location"]
    assert same_page(known_page, "139****5678") == same_page(unknown_page, "139****5679")
    assert sms_outbox.to("13912345679") == []
    guess = client.post(reverse("portal:password_reset_verify"),
                        {"code": "123456", "password1": "New-pass-2026", "password2": "New-pass-2026"})
    assert "验证码不正确" in guess.content.decode()


def test_an_account_without_the_applicant_profile_states_it_first(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("portal:cases"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:profile"))
    bad = client.post(reverse("portal:profile"), {"real_name": "周一", "id_number": "123", "phone": "139"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "身份证号码无效" in html and "手机号码应为以 1 开头的 11 位数字" in html and 'value="周一"' in html
    ok = client.post(reverse("portal:profile") + "?next=/cases/",
                     {"real_name": "周一", "id_number": id_number(), "phone": "13900000001", "next": "/cases/"})
    assert ok.status_code == 302 and ok["Location"] == "/cases/"
    assert Applicant.objects.filter(user=user).exists()


def test_staff_are_sent_to_the_admin(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("portal:cases"))
    assert response.status_code == 403 and "业务管理后台" in response.content.decode()


def test_pages_are_chinese_whatever_the_browser_asks(client, sms_outbox):
    client.post(reverse("portal:signup"), start_data())
    response = client.post(reverse("portal:signup_verify"), finish_data("123456", password1="a1", password2="a1"),
                           headers={"accept-language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert "此密码太短" in html and 'lang="zh-Hans"' in html


def test_sign_up_from_the_login_page_returns_to_where_one_was_going(client, sms_outbox):
    page = client.get(reverse("portal:login") + "?next=/apply/kq.graduate/").content.decode()
    assert "/accounts/signup/?next=/apply/kq.graduate/" in page
    _, response = sign_up(client, sms_outbox, next_url="/apply/kq.graduate/")
    assert response.status_code == 302 and response["Location"] == "/apply/kq.graduate/"
    client.post(reverse("portal:logout"))
    first = client.post(reverse("portal:signup"), {**start_data(phone="13912345679"), "next": "https://evil.example/"})
    assert first.status_code == 302
    other = client.post(reverse("portal:signup_verify"), finish_data(sms_outbox.code("13912345679")))
    assert other["Location"] == reverse("portal:check")
