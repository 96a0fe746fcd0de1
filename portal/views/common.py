"""What every portal view shares: Chinese rendering, the applicant check, the case lookup."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from applications.models import Applicant, Application
from applications.selectors import applications_visible_to


def portal_page(view):
    """The portal is written for Chinese readers: render in zh-hans whatever the browser asks for,
    so that Django's own messages (password rules, dates) match the page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override("zh-hans"):
            request.LANGUAGE_CODE = "zh-hans"
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            response.headers.setdefault("Content-Language", "zh-hans")
            return response

    return wrapper


def applicant_required(view):
    """Logged in as an applicant: staff are sent to the admin, an account without the applicant
    profile (real name, ID number) is asked for it first. Sets ``request.applicant``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.is_staff:
            return render(request, "portal/staff.html", status=403)
        applicant = Applicant.objects.filter(user=request.user).first()
        if applicant is None:
            return redirect(f"{reverse('portal:profile')}?{urlencode({'next': request.get_full_path()})}")
        request.applicant = applicant
        return view(request, *args, **kwargs)

    return portal_page(wrapper)


def own_case(request, case_number: str, *, related: tuple[str, ...] = ()) -> Application:
    """One of the applicant's own cases (404 otherwise), with ``related`` joined in."""
    application = (
        applications_visible_to(request.user)
        .filter(applicant=request.applicant, case_number=case_number)
        .select_related("route__document", "jurisdiction", "applicant", *related)
        .first()
    )
    if application is None:
        raise Http404("办件不存在")
    return application
