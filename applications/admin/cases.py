"""The clerks' work queues and the case page (办件) in the Django admin.

Queues: one changelist with a required ``step`` (to accept, to review, to approve, to register, or every
case), built by ``application_queue``; overdue and nearly-due first; working days left for the whole page
from one calendar query; counted only up to a bound. The case page is read-only; every action is a small
form posted to its own URL, checked against the user's role and passed to a service together with the
version the page was rendered with.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applications.admin.access import (
    TRANSITION_LABELS,
    TRANSITION_ROLES,
    default_step,
    may_claim,
    may_fire,
    may_release,
    may_review_materials,
)
from applications.admin.forms import TRANSITION_FORMS, CaseActionForm, MaterialReviewForm
from applications.admin.labels import facts_rows
from applications.admin.paginator import BoundedCountPaginator
from applications.admin.scoped import ScopedAdmin
from applications.admin.workdays import working_days_left
from applications.errors import ApplicationError, ConflictError
from applications.models import Application, ApplicationState
from applications.selectors import (
    QUEUE_STATES,
    application_queue,
    application_timeline,
    applications_visible_to,
)
from applications.services.personal_data import Kind, personal_data_access_record
from applications.services.transitions import (
    application_accept,
    application_approve,
    application_assign,
    application_not_accept,
    application_refuse,
    application_register,
    application_request_correction,
    application_start_review,
    material_review,
)
from hukou.admin_base import ReadOnlyMixin

S = ApplicationState

STEP_LABELS = {
    "accept": _("To accept"),
    "review": _("To review"),
    "approve": _("To approve"),
    "register": _("To register"),
    "all": _("All cases"),
}
# Cases in these states wait on a clerk and have a promised date running.
WAITING_STATES = frozenset(state for states in QUEUE_STATES.values() for state in states)
# Materials are reviewed while the case is in the accept, review or approve queue.
REVIEWABLE_STATES = frozenset(QUEUE_STATES["accept"] + QUEUE_STATES["review"] + QUEUE_STATES["approve"])
LIST_RELATED = ("applicant", "route", "jurisdiction", "assigned_to")
# A list row needs none of the case's documents, nor the route's.
LIST_DEFERRED = (
    "facts", "eligibility", "route_snapshot", "decision_reason",
    "route__criteria", "route__material_checklist", "route__note",
)
CASE_RELATED = ("applicant", "route__document", "jurisdiction", "assigned_to", "registration__registrar")
# Served with a permission check by the applications API.
MATERIAL_FILE_URL = "/api/v1/materials/{id}/file/"

TRANSITION_SERVICES = {
    "accept": application_accept,
    "not_accept": application_not_accept,
    "request_correction": application_request_correction,
    "start_review": application_start_review,
    "approve": application_approve,
    "refuse": application_refuse,
    "register": application_register,
}


class StepFilter(admin.SimpleListFilter):
    """Carries the queue's ``step`` through the changelist's links; the queue itself is built in
    get_queryset and chosen with the tabs above the list, so this filter draws nothing."""

    title = _("work queue")
    parameter_name = "step"

    def lookups(self, request, model_admin):
        return list(STEP_LABELS.items())

    def has_output(self):
        return False

    def queryset(self, request, queryset):
        return queryset


class AssignmentFilter(admin.SimpleListFilter):
    title = _("assigned clerk")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Claimed by me")), ("nobody", _("Not claimed"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class CaseChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        # "Clear all filters" stays in the same queue
        self.clear_all_filters_qs = self.get_query_string(
            {"step": self.params.get("step", "")}, remove=self.get_filters_params()
        )
        return queryset

    def get_ordering(self, request, queryset):
        # The queue's own order (overdue and nearly due first) comes from the selector.
        if queryset.query.order_by:
            return self._get_deterministic_ordering(queryset.query.order_by)
        return super().get_ordering(request, queryset)

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        left = working_days_left(
            (row.due_date for row in rows if row.state in WAITING_STATES), timezone.localdate()
        )
        for row in rows:
            row.days_left = left.get(row.due_date) if row.state in WAITING_STATES else None
        self.result_list = rows


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, ScopedAdmin):
    jurisdiction_path = "jurisdiction"  # the queues and the case page use applications_visible_to (the same rule)
    list_display = [
        "case_number", "applicant_display", "route_display", "jurisdiction_display", "submitted_at",
        "due_date", "days_left_display", "assigned_display",
    ]
    list_display_links = ["case_number"]
    list_filter = [StepFilter, AssignmentFilter, "route"]
    list_select_related = LIST_RELATED
    search_fields = ["case_number"]
    search_help_text = _("The exact case number, e.g. SXKQ-20260302-7K3Q9M.")
    sortable_by = ()
    list_per_page = 50
    list_max_show_all = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = BoundedCountPaginator
    actions = None
    change_list_template = "admin/applications/application/change_list.html"
    case_template = "admin/applications/application/case.html"

    # nobody edits a case through the admin's forms (ReadOnlyMixin): only through the services

    # --- the queues -------------------------------------------------------------------------------
    def get_queryset(self, request):
        step = getattr(request, "queue_step", None)
        if step in QUEUE_STATES:
            return application_queue(user=request.user, step=step).defer(*LIST_DEFERRED)
        if step == "all":
            return (
                applications_visible_to(request.user).exclude(state=S.DRAFT)
                .select_related(*LIST_RELATED).defer(*LIST_DEFERRED).order_by("-id")
            )
        return applications_visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return CaseChangeList

    def get_list_display(self, request):
        if getattr(request, "queue_step", None) == "all":
            return [*self.list_display[:4], "state", *self.list_display[4:]]
        return self.list_display

    def get_list_filter(self, request):
        if getattr(request, "queue_step", None) == "all":
            return [*self.list_filter, "state"]
        return self.list_filter

    def get_search_results(self, request, queryset, search_term):
        """An exact case number only: the unique index answers it at any table size."""
        term = search_term.strip().upper()
        if not term:
            return queryset, False
        return queryset.filter(case_number=term), False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        step = request.GET.get("step")
        if step not in STEP_LABELS:
            return HttpResponseRedirect(f"{request.path}?step={default_step(request.user)}")
        request.queue_step = step
        base = reverse("admin:applications_application_changelist")
        context = {
            "title": STEP_LABELS[step],
            "queue_step": step,
            "queue_tabs": [(code, label, f"{base}?step={code}") for code, label in STEP_LABELS.items()],
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    @admin.display(description=_("applicant"))
    def applicant_display(self, obj):
        return str(obj.applicant)  # name and masked ID number

    @admin.display(description=_("settlement route"))
    def route_display(self, obj):
        return obj.route.name

    @admin.display(description=_("jurisdiction"))
    def jurisdiction_display(self, obj):
        return obj.jurisdiction.name

    @admin.display(description=_("working days left"))
    def days_left_display(self, obj):
        left = getattr(obj, "days_left", None)
        if left is None:
            return "—"
        return format_html('<span class="days-left {}">{}</span>', left.css, str(left))

    @admin.display(description=_("assigned clerk"))
    def assigned_display(self, obj):
        user = obj.assigned_to
        if user is None:
            return "—"
        return user.get_full_name() or user.get_username()

    # --- the case page and its actions ---------------------------------------------------------------
    def get_urls(self):
        def wrap(view):  # actions are POSTs only; the case page itself is a GET
            return self.admin_site.admin_view(require_POST(view))

        return [
            path("<path:object_id>/transition/<slug:transition>/", wrap(self.transition_view),
                 name="applications_application_transition"),
            path("<path:object_id>/claim/", wrap(self.claim_view), name="applications_application_claim"),
            path("<path:object_id>/release/", wrap(self.release_view), name="applications_application_release"),
            path("<path:object_id>/materials/<int:material_id>/review/", wrap(self.material_review_view),
                 name="applications_application_material_review"),
            path("<path:object_id>/id-numbers/", wrap(self.id_numbers_view),
                 name="applications_application_id_numbers"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The case page. Read-only: nothing is saved from here (actions post to their own URLs)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        application = self._case(request, object_id)
        personal_data_access_record(request=request, applicant=application.applicant, kind=Kind.CASE_PAGE,
                                    obj=application)
        return self._case_response(request, application)

    def id_numbers_view(self, request, object_id):
        """The case page with the full ID numbers of the applicant and the followers (查看完整身份证号):
        asked for with a POST, each time recorded."""
        application = self._case(request, object_id)
        personal_data_access_record(request=request, applicant=application.applicant, kind=Kind.ID_NUMBER,
                                    obj=application, detail="申请人及随迁人员完整身份证号")
        return self._case_response(request, application, full_id_numbers=True)

    def _case(self, request, object_id) -> Application:
        """The case if the user may see it: 403 without the view permission, 404 outside their jurisdictions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            pk = int(unquote(object_id))
        except (TypeError, ValueError):
            raise Http404 from None
        application = (
            applications_visible_to(request.user).select_related(*CASE_RELATED).filter(pk=pk).first()
        )
        if application is None:
            raise Http404
        return application

    def _case_url(self, application, anchor: str = "") -> str:
        url = reverse("admin:applications_application_change", args=[application.pk])
        return f"{url}#{anchor}" if anchor else url

    def transition_view(self, request, object_id, transition):
        application = self._case(request, object_id)
        if transition not in TRANSITION_FORMS:
            raise Http404
        if not may_fire(request.user, transition):
            raise PermissionDenied
        form = TRANSITION_FORMS[transition](request.POST, application=application, auto_id=f"id_{transition}_%s")
        if not form.is_valid():
            return self._case_response(request, application, bound={transition: form})
        try:
            TRANSITION_SERVICES[transition](
                application_id=application.pk, actor=request.user,
                expected_version=form.cleaned_data["expected_version"], **form.service_kwargs(),
            )
        except ConflictError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self._case_url(application))
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self._case_response(request, application, bound={transition: form})
        messages.success(
            request, gettext("%(action)s: done for case %(case)s.")
            % {"action": TRANSITION_LABELS[transition], "case": application.case_number},
        )
        return HttpResponseRedirect(self._case_url(application))

    def _assign(self, request, application, assignee, label):
        form = CaseActionForm(request.POST, application=application)
        if not form.is_valid():
            messages.error(request, gettext("The form was incomplete; please reload the page and try again."))
            return HttpResponseRedirect(self._case_url(application))
        try:
            application_assign(
                application_id=application.pk, actor=request.user, assignee=assignee,
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ConflictError, ApplicationError) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("%(action)s: done for case %(case)s.")
                             % {"action": label, "case": application.case_number})
        return HttpResponseRedirect(self._case_url(application))

    def claim_view(self, request, object_id):
        application = self._case(request, object_id)
        if not may_claim(request.user):
            raise PermissionDenied
        return self._assign(request, application, request.user, TRANSITION_LABELS["claim"])

    def release_view(self, request, object_id):
        application = self._case(request, object_id)
        if not may_release(request.user, application):
            raise PermissionDenied
        return self._assign(request, application, None, TRANSITION_LABELS["release"])

    def material_review_view(self, request, object_id, material_id):
        application = self._case(request, object_id)
        if not may_review_materials(request.user):
            raise PermissionDenied
        material = application.materials.filter(pk=material_id).first()
        if material is None:
            raise Http404
        form = MaterialReviewForm(request.POST, auto_id=f"id_material{material.pk}_%s")
        if not form.is_valid():
            return self._case_response(request, application, bound={("material", material.pk): form})
        try:
            material_review(
                material_id=material.pk, actor=request.user,
                accepted=form.cleaned_data["decision"] == "accept", reason=form.cleaned_data["reason"],
            )
        except ConflictError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self._case_url(application, "materials"))
        except ApplicationError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
            return self._case_response(request, application, bound={("material", material.pk): form})
        messages.success(request, gettext("Material %(name)s reviewed.") % {"name": material.original_name})
        return HttpResponseRedirect(self._case_url(application, "materials"))

    # --- rendering -------------------------------------------------------------------------------------
    def _case_response(self, request, application, *, bound: dict | None = None, full_id_numbers: bool = False):
        context = {
            **self.admin_site.each_context(request),
            **self._case_context(request, application, bound or {}),
            "full_id_numbers": full_id_numbers,
            "id_numbers_url": reverse("admin:applications_application_id_numbers", args=[application.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.case_template, context)

    def _case_context(self, request, application, bound: dict) -> dict:
        user = request.user
        snapshot = application.route_snapshot or {}
        checklist = snapshot.get("material_checklist") or application.route.material_checklist

        actions = []
        for transition in application.get_available_state_transitions():
            name = transition.name
            if name not in TRANSITION_ROLES or not may_fire(user, name):
                continue
            form = bound.get(name) or TRANSITION_FORMS[name](application=application, auto_id=f"id_{name}_%s")
            actions.append({
                "name": name,
                "label": TRANSITION_LABELS[name],
                "form": form,
                "open": name in bound,
                "url": reverse("admin:applications_application_transition", args=[application.pk, name]),
            })

        reviewing = may_review_materials(user) and application.state in REVIEWABLE_STATES
        uploads = list(application.materials.select_related("reviewed_by"))
        by_code: dict[str, list] = {}
        for material in uploads:
            material.file_url = MATERIAL_FILE_URL.format(id=material.pk)
            if reviewing:
                material.review_form = bound.get(("material", material.pk)) or MaterialReviewForm(
                    auto_id=f"id_material{material.pk}_%s"
                )
                material.review_url = reverse(
                    "admin:applications_application_material_review", args=[application.pk, material.pk]
                )
            by_code.setdefault(material.checklist_code, []).append(material)
        known = {item["code"] for item in checklist}
        materials = [
            {"code": item["code"], "name": item["name"], "required": item.get("required", True),
             "uploads": by_code.get(item["code"], [])}
            for item in checklist
        ] + [
            {"code": code, "name": code, "required": False, "uploads": items}
            for code, items in by_code.items() if code not in known
        ]

        try:
            registration = application.registration
        except ObjectDoesNotExist:
            registration = None
        days_left = None
        if application.due_date and application.state in WAITING_STATES:
            days_left = working_days_left([application.due_date], timezone.localdate())[application.due_date]
        states = dict(ApplicationState.choices)
        timeline = [
            {**step, "label": TRANSITION_LABELS.get(step["transition"], step["transition"]),
             "from_label": states.get(step["from"], step["from"]), "to_label": states.get(step["to"], step["to"])}
            for step in application_timeline(application)
        ]
        # back to the queue the case was opened from, else to the queue it waits in now
        preserved = QueryDict(request.GET.get("_changelist_filters", ""))
        step = preserved.get("step")
        if step not in STEP_LABELS:
            step = next((code for code, states in QUEUE_STATES.items() if application.state in states), "all")
            preserved = QueryDict(f"step={step}")
        return {
            "title": gettext("Case %(case)s") % {"case": application.case_number},
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": application,
            "application": application,
            "snapshot": snapshot,
            "citation": snapshot.get("citation") or application.route.citation,
            "days_left": days_left,
            "facts": facts_rows(application.facts),
            "eligibility": application.eligibility or {},
            "materials": materials,
            "reviewing": reviewing,
            "family": list(application.family_members.all()),
            "notices": list(application.correction_notices.select_related("issued_by")),
            "registration": registration,
            "timeline": timeline,
            "actions": actions,
            "can_claim": may_claim(user) and application.assigned_to_id is None and application.state in WAITING_STATES,
            "can_release": may_release(user, application),
            "claim_url": reverse("admin:applications_application_claim", args=[application.pk]),
            "release_url": reverse("admin:applications_application_release", args=[application.pk]),
            "queue_url": f"{reverse('admin:applications_application_changelist')}?{preserved.urlencode()}",
            "queue_label": STEP_LABELS[step],
        }
