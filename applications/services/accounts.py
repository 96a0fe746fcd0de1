"""Portal accounts. Signing up and resetting a password both prove a mobile number with a one-time SMS
code (applications.services.phone_codes).

Sign-up never tells whether an ID number already has an account. Step one takes the real name, the ID
number and the mobile number and always answers "a code was sent". When the ID number is free, the
code goes to the number typed; when it is already registered, it goes to the number *on record* for
that ID (the recovery path): whoever holds that phone is its owner and, by entering the code, gets the
account back with the new password; anyone else simply has no code. Step two (code, e-mail, password)
therefore fails for an impostor exactly as a mistyped code does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from applications.errors import ApplicationError
from applications.models import Applicant, PhoneCode
from applications.models.applicants import phone_validator
from applications.services.applicants import applicant_create
from applications.services.phone_codes import EXPIRED, phone_code_check, phone_code_issue
from applications.validators import normalize_id_number, validate_id_number

logger = logging.getLogger("applications.accounts")
PHONE_TAKEN = "该手机号已注册，请直接登录或找回密码"


@dataclass(frozen=True)
class SignUpOutcome:
    applicant: Applicant
    recovered: bool  # an existing account got back by its owner (the ID number was registered)


def _phone(phone: str) -> str:
    phone = (phone or "").strip()
    try:
        phone_validator(phone)
    except ValidationError:
        raise ApplicationError("phone", "手机号码应为以 1 开头的 11 位数字") from None
    return phone


def _id_number(id_number: str) -> str:
    try:
        validate_id_number(id_number or "")
    except ValidationError:
        raise ApplicationError("id_number", "身份证号码无效（18位，末位为校验码或X）") from None
    return normalize_id_number(id_number)


def _password(password: str, *, user) -> None:
    try:
        validate_password(password or "", user=user)
    except ValidationError as error:
        raise ApplicationError("password", "；".join(error.messages), details=list(error.messages)) from None


def signup_code_send(*, real_name: str, id_number: str, phone: str, client_ip: str) -> PhoneCode:
    """Step one of sign-up: text a code (see the module's docstring for where it goes)."""
    real_name = (real_name or "").strip()
    if not real_name:
        raise ApplicationError("real_name", "请填写真实姓名")
    id_number, phone = _id_number(id_number), _phone(phone)
    owner = Applicant.objects.filter(id_number=id_number).only("phone").first()
    if owner is None:
        return phone_code_issue(
            purpose=PhoneCode.Purpose.SIGNUP, requested_for=phone, send_to=phone, client_ip=client_ip,
            text=lambda code: f"【落户办理】您正在注册账号，验证码 {code}，10 分钟内有效。请勿告诉他人。",
        )
    return phone_code_issue(
        purpose=PhoneCode.Purpose.SIGNUP, requested_for=phone, send_to=owner.phone, client_ip=client_ip,
        text=lambda code: f"【落户办理】有人正在用您的身份证号码注册或找回账号，验证码 {code}，10 分钟内有效。"
                          "如是本人操作，输入验证码即可找回账号；如非本人，请勿告诉他人。",
    )


def applicant_sign_up(*, code_id: int | None, code: str, real_name: str, id_number: str, phone: str, email: str,
                      password: str) -> SignUpOutcome:
    """Step two: with the right code, create the account (the mobile number is the login name) and its
    applicant profile in one transaction — or, for a registered ID number whose phone on record got the
    code, give that account the new password. Every field is checked before the code is used."""
    User = get_user_model()
    real_name, id_number, phone = (real_name or "").strip(), _id_number(id_number), _phone(phone)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError("email", "请填写有效的电子邮箱（用于接收办理通知）") from None
    _password(password, user=User(username=phone, email=email, first_name=real_name[:150]))
    row = phone_code_check(code_id=code_id, purpose=PhoneCode.Purpose.SIGNUP, code=code)
    if row.requested_for != phone:
        raise ApplicationError("code", EXPIRED)
    owner = Applicant.objects.select_related("user").filter(id_number=id_number).first()
    if owner is not None:
        if row.sent_to != owner.phone:  # registered between the two steps
            raise ApplicationError("code", EXPIRED)
        owner.user.set_password(password)
        owner.user.save(update_fields=["password"])
        logger.info("account recovered through sign-up: user %s", owner.user_id)
        return SignUpOutcome(owner, recovered=True)
    if row.sent_to != phone:  # the ID's owner left between the two steps
        raise ApplicationError("code", EXPIRED)
    if User.objects.filter(username=phone).exists():
        raise ApplicationError("phone", PHONE_TAKEN)  # told to the proven holder of the phone only
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=phone, email=email, password=password,
                                            first_name=real_name[:150])
            applicant = applicant_create(user=user, real_name=real_name, id_number=id_number, phone=phone)
    except IntegrityError:  # the same number signed up at the same moment
        raise ApplicationError("phone", PHONE_TAKEN) from None
    logger.info("applicant signed up: user %s, applicant %s", user.pk, applicant.pk)
    return SignUpOutcome(applicant, recovered=False)


def _reset_account(phone: str):
    return get_user_model().objects.filter(username=phone, is_active=True, is_staff=False).first()


def password_reset_code_send(*, phone: str, client_ip: str) -> PhoneCode:
    """Step one of a password reset: a code to the number if an applicant account uses it; the same
    answer otherwise (nothing sent). Staff accounts are reset by an administrator, not by SMS."""
    phone = _phone(phone)
    account = _reset_account(phone)
    return phone_code_issue(
        purpose=PhoneCode.Purpose.RESET, requested_for=phone, send_to=phone if account else None,
        client_ip=client_ip,
        text=lambda code: f"【落户办理】您正在重设密码，验证码 {code}，10 分钟内有效。如非本人操作，请勿告诉他人。",
    )


def password_reset_complete(*, code_id: int | None, code: str, phone: str, password: str):
    """Step two: with the right code, the account of that number gets the new password."""
    phone = _phone(phone)
    account = _reset_account(phone)
    _password(password, user=account)
    row = phone_code_check(code_id=code_id, purpose=PhoneCode.Purpose.RESET, code=code)
    if account is None or row.sent_to != phone:
        raise ApplicationError("code", EXPIRED)
    account.set_password(password)
    account.save(update_fields=["password"])
    logger.info("password reset by SMS code: user %s", account.pk)
    return account
