"""The dashboard page, its XLSX exports and the analyst's "refresh now" (thin: the selectors and the
refresh service do the work). Only the leader and analyst roles, each for the jurisdictions they work for."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dashboard.access import dashboard_jurisdiction_ids, may_refresh_dashboard, may_view_dashboard
from dashboard.exports import charts_workbook
from dashboard.forms import DashboardFilterForm
from dashboard.selectors import STATUS_LABELS, charts_by_id, dashboard_data
from dashboard.services.refresh import last_refresh
from dashboard.targets import ACHIEVED, BEHIND, MISSED, NO_DATA, ON_TRACK
from dashboard.tasks import dashboard_refresh_task

# The page loads its scripts from our static files only, and its data as JSON (never executed): it
# passes a Content-Security-Policy without inline-script exceptions. ECharts sets element styles itself.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_CLASS = {ACHIEVED: "good", ON_TRACK: "good", MISSED: "bad", BEHIND: "bad", NO_DATA: "missing"}


def dashboard_view(view):
    """Log in first (the staff login), then the leader or analyst role, and the strict CSP."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not may_view_dashboard(request.user):
            raise PermissionDenied(_("The dashboard is for the leader and analyst roles."))
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", CSP)
        return response

    return wrapper


def _filters(request) -> DashboardFilterForm:
    refresh = last_refresh()
    today = refresh.as_of if refresh else timezone.localdate()
    return DashboardFilterForm(request.GET, visible_ids=dashboard_jurisdiction_ids(request.user), today=today)


@require_GET
@dashboard_view
def index(request):
    form = _filters(request)
    context = {"form": form, "may_refresh": may_refresh_dashboard(request.user)}
    if not form.visible_ids:
        context["no_jurisdiction"] = True
        return render(request, "dashboard/index.html", context, status=403)
    if not form.is_valid():
        return render(request, "dashboard/index.html", context, status=400)
    data = dashboard_data(form.scope())
    for row in data["targets"]:
        row["css"] = STATUS_CLASS.get(row["progress"].status, "")
        row["status_text"] = STATUS_LABELS[row["progress"].status]
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v})
    context.update(
        data=data,
        described=form.describe(),
        query=query,
        charts_json=[chart.as_json() for chart in data["charts"]],
        charts=charts_by_id(data["charts"]),
        year=form.scope().year,
    )
    return render(request, "dashboard/index.html", context)


@require_GET
@dashboard_view
def export(request, chart_id: str):
    form = _filters(request)
    if not form.visible_ids:
        raise PermissionDenied(_("No jurisdiction is assigned to you."))
    if not form.is_valid():
        errors = "；".join(f"{form.fields[name].label}：{' '.join(map(str, errs))}" if name in form.fields
                          else " ".join(map(str, errs)) for name, errs in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    data = dashboard_data(form.scope())
    charts = data["charts"]
    if chart_id != "all":
        chart = charts_by_id(charts).get(chart_id)
        if chart is None:
            raise Http404(_("No such chart."))
        charts = [chart]
    refresh = data["refresh"]
    content = charts_workbook(charts, described=form.describe(), data_as_of=refresh.started_at if refresh else None)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{chart_id}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@require_POST
@dashboard_view
def refresh(request):
    if not may_refresh_dashboard(request.user):
        raise PermissionDenied(_("Only an analyst may refresh the figures."))
    user_id = request.user.pk
    transaction.on_commit(lambda: dashboard_refresh_task.delay(trigger="manual", user_id=user_id))
    messages.info(request, _("The figures are being refreshed; reload the page in a minute."))
    query = request.POST.get("query", "")
    return redirect(f"{reverse('dashboard:index')}?{query}" if query else reverse("dashboard:index"))
