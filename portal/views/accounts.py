"""Sign up and password reset (each in two steps, the phone proven by an SMS code), log in and out, and
the applicant profile of an account made elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError
from applications.models import Applicant
from applications.services.accounts import (
    applicant_sign_up,
    password_reset_code_send,
    password_reset_complete,
    signup_code_send,
)
from applications.services.applicants import applicant_create
from applications.services.phone_codes import CodeLimitError
from applications.validators import mask_phone
from hukou.clientip import client_ip
from portal import forms
from portal.views.common import portal_page


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


SIGNUP_SESSION = "portal.signup"
RESET_SESSION = "portal.password_reset"


def _code_sent(request, session_key: str, state: dict, target: str):
    request.session[session_key] = state
    return redirect(target)


def _refused(form, error: ApplicationError, fields: dict[str, str] | None = None) -> int:
    forms.form_error_from(form, error, fields=fields)
    return 429 if isinstance(error, CodeLimitError) else 400


@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "POST"])
@portal_page
def signup(request):
    """Step one: real name, ID number, mobile number; a code is texted (see applications.services.accounts
    for where it goes when the ID number is already registered)."""
    if request.user.is_authenticated:
        return redirect("portal:cases")
    previous = request.session.get(SIGNUP_SESSION) or {}
    initial = {key: previous[key] for key in ("real_name", "id_number", "phone") if key in previous}
    form = forms.SignUpStartForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = signup_code_send(real_name=data["real_name"], id_number=data["id_number"], phone=data["phone"],
                                   client_ip=client_ip(request))
        except ApplicationError as error:
            status = _refused(form, error)
        else:
            return _code_sent(request, SIGNUP_SESSION, {
                "code_id": row.pk, "real_name": data["real_name"], "id_number": data["id_number"],
                "phone": data["phone"], "next": _next_url(request, ""),
            }, reverse("portal:signup_verify"))
    elif form.errors:
        status = 400
    return render(request, "portal/signup.html", {"form": form, "next": _next_url(request, "")}, status=status)


@sensitive_post_parameters("code", "password1", "password2")
@require_http_methods(["GET", "POST"])
@portal_page
def signup_verify(request):
    """Step two: the code, an e-mail address and the password."""
    state = request.session.get(SIGNUP_SESSION)
    if request.user.is_authenticated:
        return redirect("portal:cases")
    if not state:
        return redirect("portal:signup")
    form = forms.SignUpFinishForm(request.POST if request.method == "POST" else None, user_hint=state)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = applicant_sign_up(
                code_id=state["code_id"], code=data["code"], real_name=state["real_name"],
                id_number=state["id_number"], phone=state["phone"], email=data["email"], password=data["password1"],
            )
        except ApplicationError as error:
            status = _refused(form, error, fields={"password": "password1"})
        else:
            request.session.pop(SIGNUP_SESSION, None)
            login(request, outcome.applicant.user, backend="django.contrib.auth.backends.ModelBackend")
            if outcome.recovered:
                messages.success(request, "已通过身份证号码登记的手机号验证身份，您的账号已找回，并已设置新密码。")
            else:
                messages.success(request, f"注册成功，欢迎您，{outcome.applicant.real_name}。")
            return redirect(state.get("next") or reverse("portal:check"))
    return render(request, "portal/signup_verify.html",
                  {"form": form, "phone_masked": mask_phone(state["phone"])}, status=status)


@method_decorator(portal_page, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the login page again, saying why (HTTP 429).
    The form is not bound (binding would try to log in once more); the typed number is kept."""
    form = forms.LoginForm(request, initial={"username": request.POST.get("username", "")})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with translation.override("zh-hans"):
        return render(request, "portal/login.html", {"form": form, "locked_out": True, "cooloff_minutes": minutes},
                      status=429)


@method_decorator(portal_page, name="dispatch")
class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
@portal_page
def password_reset(request):
    """Step one: the mobile number; a code goes to it if an applicant account uses it (same answer
    either way)."""
    form = forms.ResetStartForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            row = password_reset_code_send(phone=form.cleaned_data["phone"], client_ip=client_ip(request))
        except ApplicationError as error:
            status = _refused(form, error)
        else:
            return _code_sent(request, RESET_SESSION, {"code_id": row.pk, "phone": form.cleaned_data["phone"]},
                              reverse("portal:password_reset_verify"))
    elif form.errors:
        status = 400
    return render(request, "portal/password_reset.html", {"form": form}, status=status)


@sensitive_post_parameters("code", "password1", "password2")
@require_http_methods(["GET", "POST"])
@portal_page
def password_reset_verify(request):
    state = request.session.get(RESET_SESSION)
    if not state:
        return redirect("portal:password_reset")
    form = forms.ResetFinishForm(request.POST if request.method == "POST" else None, user_hint=state)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(code_id=state["code_id"], code=form.cleaned_data["code"], phone=state["phone"],
                                    password=form.cleaned_data["password1"])
        except ApplicationError as error:
            status = _refused(form, error, fields={"password": "password1"})
        else:
            request.session.pop(RESET_SESSION, None)
            return redirect("portal:password_reset_complete")
    return render(request, "portal/password_reset_verify.html",
                  {"form": form, "phone_masked": mask_phone(state["phone"])}, status=status)


@method_decorator(portal_page, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
@portal_page
def profile(request):
    """An account without an applicant profile (e.g. made by an administrator) states who it is."""
    if not request.user.is_authenticated:
        return auth_views.redirect_to_login(request.get_full_path())
    if request.user.is_staff:
        return render(request, "portal/staff.html", status=403)
    applicant = Applicant.objects.filter(user=request.user).first()
    if applicant is not None:
        return render(request, "portal/profile.html", {"applicant": applicant})
    form = forms.ProfileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applicant_create(user=request.user, real_name=data["real_name"], id_number=data["id_number"],
                             phone=data["phone"])
        except ApplicationError as error:
            forms.form_error_from(form, error, fields={"applicant": "id_number", "user": "real_name"})
        else:
            messages.success(request, "实名信息已保存。")
            return redirect(_next_url(request, reverse("portal:cases")))
    return render(request, "portal/profile_form.html", {"form": form, "next": _next_url(request, "")},
                  status=400 if form.errors else 200)
