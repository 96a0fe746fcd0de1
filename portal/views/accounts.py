"""Sign up, log in and out, password reset by e-mail, and the applicant profile of an existing account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError
from applications.models import Applicant
from applications.services.accounts import applicant_sign_up
from applications.services.applicants import applicant_create
from portal import forms
from portal.views.common import portal_page


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
@portal_page
def signup(request):
    if request.user.is_authenticated:
        return redirect("portal:cases")
    form = forms.SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applicant = applicant_sign_up(
                real_name=data["real_name"], id_number=data["id_number"], phone=data["phone"],
                email=data["email"], password=data["password1"],
            )
        except ApplicationError as error:
            forms.form_error_from(form, error, fields={"password": "password1", "user": "phone"})
        else:
            login(request, applicant.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"注册成功，欢迎您，{applicant.real_name}。")
            return redirect(_next_url(request, reverse("portal:check")))
    return render(request, "portal/signup.html", {"form": form, "next": _next_url(request, "")},
                  status=400 if form.errors else 200)


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


@method_decorator(portal_page, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_reset.html"
    form_class = forms.ResetRequestForm
    email_template_name = "portal/email/password_reset.txt"
    subject_template_name = "portal/email/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")


@method_decorator(portal_page, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/password_reset_done.html"


@method_decorator(portal_page, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    form_class = forms.NewPasswordForm
    success_url = reverse_lazy("portal:password_reset_complete")


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
