"""Portal forms. They check the shape of what a person typed (with Chinese messages shown beside each
field); the rules themselves are the services', whose ApplicationError is put back on the field it
names (``form_error_from``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from applications.errors import ApplicationError
from applications.models.applicants import phone_validator
from applications.models.ratings import RATING_INDICATORS, RatingLevel
from applications.validators import validate_id_number
from portal.questions import YES_NO, Questionnaire, field_name

ID_NUMBER_INVALID = "身份证号码无效：应为 18 位，最后一位是校验码（数字或 X），请核对"
PHONE_INVALID = "手机号码应为以 1 开头的 11 位数字"


def required(message: str) -> dict:
    return {"required": message}


def form_error_from(form: forms.Form, error: ApplicationError, *, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal beside the field it names (``fields`` maps service names to form names)."""
    name = (fields or {}).get(error.field, error.field)
    if name.startswith("facts."):
        name = field_name(name.removeprefix("facts."))
    form.add_error(name if name in form.fields else None, error.message)


def _check_id_number(value: str) -> str:
    value = (value or "").strip().upper()
    try:
        validate_id_number(value)
    except ValidationError:
        raise ValidationError(ID_NUMBER_INVALID, code="invalid_id_number") from None
    return value


def _check_phone(value: str) -> str:
    value = (value or "").strip()
    try:
        phone_validator(value)
    except ValidationError:
        raise ValidationError(PHONE_INVALID, code="invalid_phone") from None
    return value


class RealNameFields(forms.Form):
    real_name = forms.CharField(
        label="真实姓名", max_length=60,
        error_messages={**required("请填写真实姓名"), "max_length": "姓名不能超过 60 个字"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label="居民身份证号码", max_length=18, min_length=18, help_text="18 位，最后一位可能是 X。",
        error_messages={**required("请填写身份证号码"), "min_length": ID_NUMBER_INVALID,
                        "max_length": ID_NUMBER_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="手机号码", max_length=11, error_messages={**required("请填写手机号码"), "max_length": PHONE_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )

    def clean_real_name(self) -> str:
        return self.cleaned_data["real_name"].strip()

    def clean_id_number(self) -> str:
        return _check_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


class SignUpStartForm(RealNameFields):
    """Sign-up, step one: who you are and your mobile number (a code is texted)."""


def _code_field() -> forms.CharField:
    return forms.CharField(
        label="短信验证码", max_length=6, min_length=6, help_text="6 位数字，10 分钟内有效。",
        error_messages={**required("请填写短信验证码"), "min_length": "验证码是 6 位数字",
                        "max_length": "验证码是 6 位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewPasswordFields(forms.Form):
    """Two password fields checked against the configured password rules."""

    password1 = forms.CharField(
        label="设置密码", strip=False, error_messages=required("请设置密码"),
        help_text="至少 8 位，须同时包含字母和数字，不能是常见密码，也不能与手机号、姓名过于相似。",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="再次输入密码", strip=False, error_messages=required("请再次输入密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user_hint: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_hint = user_hint or {}

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致")
        elif first:
            from django.contrib.auth import get_user_model

            candidate = get_user_model()(username=self.user_hint.get("phone", ""), email=cleaned.get("email") or "",
                                         first_name=self.user_hint.get("real_name", ""))
            try:
                password_validation.validate_password(first, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignUpFinishForm(NewPasswordFields):
    """Sign-up, step two: the code, an e-mail address for notices, the password."""

    code = _code_field()
    email = forms.EmailField(
        label="电子邮箱", help_text="用于接收办理进度通知。",
        error_messages={**required("请填写电子邮箱"), "invalid": "请填写有效的电子邮箱，如 name@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["code", "email", "password1", "password2"]


class ProfileForm(RealNameFields):
    """An account made elsewhere (say, a demo account) states who it is before filing."""


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "手机号或密码不正确。连续输错多次后，该账号将在本设备上暂时锁定。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "手机号码"
        self.fields["username"].error_messages = required("请填写手机号码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "inputmode": "numeric"})
        self.fields["password"].label = "密码"
        self.fields["password"].error_messages = required("请填写密码")


class ResetStartForm(forms.Form):
    phone = forms.CharField(
        label="注册时的手机号码", max_length=11,
        error_messages={**required("请填写手机号码"), "max_length": PHONE_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


class ResetFinishForm(NewPasswordFields):
    code = _code_field()
    field_order = ["code", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "新密码"
        self.fields["password2"].label = "再次输入新密码"


# --- self-check ------------------------------------------------------------------------------
class PlaceForm(forms.Form):
    place = forms.ChoiceField(label="您想把户口落在哪里？", error_messages={
        **required("请选择落户地"), "invalid_choice": "请从列表中选择落户地"})

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "请选择")] + places


def questions_form(questionnaire: Questionnaire, *args, **kwargs) -> forms.Form:
    """A form with one field per question, named after the fact path (dots as ``__``)."""
    fields: dict[str, forms.Field] = {}
    for question in questionnaire.questions:
        name = field_name(question.path)
        common = {"label": question.label, "help_text": question.help, "required": question.required}
        if question.kind == "date":
            fields[name] = forms.DateField(
                **common, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={**required(f"请填写{question.label}"), "invalid": "请填写有效日期，如 1998-06-01"},
            )
        elif question.kind == "sex":
            fields[name] = forms.ChoiceField(
                **common, choices=question.choices, widget=forms.RadioSelect,
                error_messages={**required("请选择性别"), "invalid_choice": "请选择性别"},
            )
        elif question.kind == "bool":
            fields[name] = forms.ChoiceField(
                **common, choices=YES_NO, initial="0", widget=forms.RadioSelect,
                error_messages={**required("请选择“是”或“否”"), "invalid_choice": "请选择“是”或“否”"},
            )
        elif question.kind == "months":
            fields[name] = forms.IntegerField(
                **common, min_value=0, max_value=1200, initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
                error_messages={"invalid": "请填写整数月数，如 12", "min_value": "月数不能小于 0",
                                "max_value": "月数不能超过 1200"},
            )
        elif question.kind == "number":
            fields[name] = forms.DecimalField(
                **common, min_value=0, max_digits=12, decimal_places=2, initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "any"}),
                error_messages={"invalid": "请填写数字", "min_value": "不能小于 0",
                                "max_digits": "数值过大", "max_decimal_places": "最多两位小数"},
            )
        elif question.kind == "multi":
            fields[name] = forms.MultipleChoiceField(
                **common, choices=question.choices, widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "请从列表中选择"},
            )
        else:
            blank = "不是投靠亲属" if question.path == "joining.relation" else "请选择"
            fields[name] = forms.ChoiceField(
                **common, choices=[("", blank), *question.choices],
                error_messages={"invalid_choice": "请从列表中选择"},
            )
    form_class = type("QuestionsForm", (forms.Form,), fields)
    return form_class(*args, **kwargs)


# --- filing ----------------------------------------------------------------------------------
class StartForm(forms.Form):
    confirm = forms.BooleanField(
        label="我已阅读上述条件和材料清单，确认按此途径申请",
        error_messages=required("请勾选确认后再开始填报"),
    )


class FamilyMemberForm(forms.Form):
    relation = forms.ChoiceField(label="与申请人的关系", error_messages={
        **required("请选择关系"), "invalid_choice": "该落户途径不允许此随迁关系"})
    real_name = forms.CharField(label="姓名", max_length=60, error_messages={
        **required("请填写随迁人员姓名"), "max_length": "姓名不能超过 60 个字"})
    id_number = forms.CharField(label="居民身份证号码", max_length=18, min_length=18, error_messages={
        **required("请填写随迁人员的身份证号码"), "min_length": ID_NUMBER_INVALID, "max_length": ID_NUMBER_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    lives_with_applicant = forms.TypedChoiceField(
        label="是否与您共同居住生活", choices=[("", "请选择"), ("1", "是"), ("0", "否")],
        coerce=lambda value: value == "1", empty_value=None, required=False,
        help_text="本途径要求随迁人员与申请人共同居住生活。")

    def __init__(self, *args, relations: list[tuple[str, str]], cohabit: bool = False, **kwargs):
        kwargs.setdefault("prefix", "family")
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = [("", "请选择"), *relations]
        if not cohabit:  # asked only where the route requires it (嘉政 一)
            del self.fields["lives_with_applicant"]
        else:
            self.fields["lives_with_applicant"].required = True
            self.fields["lives_with_applicant"].error_messages["required"] = "请选择是否共同居住生活"

    def clean_id_number(self) -> str:
        return _check_id_number(self.cleaned_data["id_number"])


class MaterialUploadForm(forms.Form):
    checklist_code = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label="选择文件", error_messages={
        **required("请先选择要上传的文件"), "empty": "文件是空的", "invalid": "请选择文件"})


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    pledge = forms.BooleanField(
        label="本人承诺所填信息和所交材料真实有效，如有虚假愿承担相应责任",
        error_messages=required("请勾选承诺后再提交"),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因（选填）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "原因不能超过 500 个字"},
    )
    confirm = forms.BooleanField(label="我确认撤回这件申请（撤回后不能恢复）",
                                 error_messages=required("请勾选确认后再撤回"))


# --- the visit -------------------------------------------------------------------------------
class VisitForm(forms.Form):
    slot = forms.TypedChoiceField(label="选择办理时段", coerce=int, widget=forms.RadioSelect, error_messages={
        **required("请选择一个办理时段"), "invalid_choice": "该时段不可预约，请重新选择"})

    def __init__(self, *args, slots: list[tuple[int, str]], **kwargs):
        kwargs.setdefault("prefix", "visit")
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots


class PostalForm(forms.Form):
    recipient = forms.CharField(label="收件人", max_length=60, error_messages={
        **required("请填写收件人"), "max_length": "收件人不能超过 60 个字"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label="收件人手机号码", max_length=11, error_messages={
        **required("请填写收件人手机号码"), "max_length": PHONE_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    address = forms.CharField(label="邮寄地址", max_length=200, help_text="省、市、区（县）、街道和门牌号。",
                              error_messages={**required("请填写邮寄地址"), "max_length": "地址不能超过 200 个字"},
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "postal")
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


# --- 好差评 ----------------------------------------------------------------------------------
LEVEL_CHOICES = [(str(level.value), level.label) for level in sorted(RatingLevel, reverse=True)]


class RatingForm(forms.Form):
    comment = forms.CharField(
        label="评价内容", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="选择“不满意”或“非常不满意”时请写明原因，我们会联系您并整改。",
        error_messages={"max_length": "评价内容不能超过 1000 个字"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in reversed(RATING_INDICATORS):
            self.fields[name] = forms.ChoiceField(
                label=label, choices=LEVEL_CHOICES, widget=forms.RadioSelect,
                error_messages={**required(f"请评价「{label}」"), "invalid_choice": "请选择评价等级"},
            )
        order = [name for name, _label in RATING_INDICATORS] + ["comment"]
        self.order_fields(order)

    def indicator_fields(self):
        return [self[name] for name, _label in RATING_INDICATORS]

    def scores(self) -> dict[str, int]:
        return {name: int(self.cleaned_data[name]) for name, _label in RATING_INDICATORS}
