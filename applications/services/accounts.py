"""Portal accounts: an applicant signs up with the real name, a checked ID number and a mobile number."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from applications.errors import ApplicationError
from applications.models import Applicant
from applications.models.applicants import phone_validator
from applications.services.applicants import applicant_create

logger = logging.getLogger("applications.accounts")


def applicant_sign_up(*, real_name: str, id_number: str, phone: str, email: str, password: str) -> Applicant:
    """Create the login account (the mobile number is the login name) and its applicant profile in one
    transaction; the password must pass every configured password rule. Nothing is written when any
    field is refused (ApplicationError naming the field)."""
    User = get_user_model()
    phone = (phone or "").strip()
    email = (email or "").strip().lower()
    try:
        phone_validator(phone)
    except ValidationError:
        raise ApplicationError("phone", "手机号码应为以 1 开头的 11 位数字") from None
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError("email", "请填写有效的电子邮箱（用于找回密码）") from None
    if User.objects.filter(username=phone).exists():
        raise ApplicationError("phone", "该手机号已注册，请直接登录或找回密码")
    candidate = User(username=phone, email=email, first_name=(real_name or "").strip()[:150])
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as error:
        raise ApplicationError("password", "；".join(error.messages), details=list(error.messages)) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=phone, email=email, password=password, first_name=(real_name or "").strip()[:150]
            )
            applicant = applicant_create(user=user, real_name=real_name, id_number=id_number, phone=phone)
    except IntegrityError:  # the same mobile number signed up at the same moment
        raise ApplicationError("phone", "该手机号已注册，请直接登录或找回密码") from None
    logger.info("applicant signed up: user %s, applicant %s", user.pk, applicant.pk)
    return applicant
