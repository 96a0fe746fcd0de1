"""The applicant's profile (申请人信息): one per login account, with a checked ID number."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.errors import ApplicationError
from applications.models import Applicant
from applications.models.applicants import phone_validator
from applications.validators import normalize_id_number, validate_id_number

APPLICANT_GROUP = "申请人"  # hukou.roles: the applicant role's group


def applicant_create(*, user, real_name: str, id_number: str, phone: str) -> Applicant:
    """Register the account's applicant profile: the real name, an ID number that passes the GB 11643
    check digit (unique across accounts) and a mainland mobile number. Once per account; the account
    joins the applicant group when that group exists."""
    if getattr(user, "is_staff", False):
        raise ApplicationError("user", "工作人员账号不能登记为申请人")
    real_name = (real_name or "").strip()
    if not real_name:
        raise ApplicationError("real_name", "请填写真实姓名")
    if len(real_name) > 60:
        raise ApplicationError("real_name", "姓名不能超过 60 个字符")
    try:
        validate_id_number(id_number or "")
    except ValidationError:
        raise ApplicationError("id_number", "身份证号码无效（18位，末位为校验码或X）") from None
    id_number = normalize_id_number(id_number)
    phone = (phone or "").strip()
    try:
        phone_validator(phone)
    except ValidationError:
        raise ApplicationError("phone", "手机号码应为以 1 开头的 11 位数字") from None
    if Applicant.objects.filter(user=user).exists():
        raise ApplicationError("applicant", "该账号已登记申请人信息")
    if Applicant.objects.filter(id_number=id_number).exists():
        # said only to a logged-in account (portal profile, API); sign-up never says it
        raise ApplicationError("id_number", "该身份证号码不能登记到本账号。如您以前注册过，"
                                            "请用当时登记的手机号找回账号；如号码被他人冒用，请携带身份证到办事窗口处理")
    try:
        with transaction.atomic():
            applicant = Applicant.objects.create(user=user, real_name=real_name, id_number=id_number, phone=phone)
            group = Group.objects.filter(name=APPLICANT_GROUP).first()
            if group is not None:
                user.groups.add(group)
    except IntegrityError:  # the same account or ID number registered at the same moment
        raise ApplicationError("id_number", "该身份证号码或账号已登记申请人信息") from None
    return applicant
