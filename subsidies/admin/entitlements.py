"""Entitlements, commitments, employers and the dated facts of settled people."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.admin.scoped import ScopedHistoryAdmin
from hukou.admin_base import GuardedHistoryAdmin
from subsidies.access import may_record_facts
from subsidies.admin.base import ReadOnlyMixin, amount, masked_settler, report_errors
from subsidies.errors import SubsidyError
from subsidies.models import Commitment, Employer, Entitlement, FactEvent, Payment, validate_uscc
from subsidies.money import yuan
from subsidies.periods import shanghai_today
from subsidies.rules import FACT_KINDS
from subsidies.selectors import COMMITMENT_PATH, ENTITLEMENT_PATH, FACT_EVENT_PATH, applicants_visible_to
from subsidies.services.audit import audit_write
from subsidies.services.employers import commitment_employer_set
from subsidies.services.facts import fact_event_record, fact_event_revoke


class PaymentInline(admin.TabularInline):
    model = Payment
    fields = ["period", "reference_date", "amount_yuan", "run", "recovery_status", "recovery_reason", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["period"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount"))
    def amount_yuan(self, obj):
        return amount(obj.amount_fen)


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    jurisdiction_path = ENTITLEMENT_PATH
    personal_data_path = "applicant"
    history_revert = False  # entitlements change only through the services (facts, intake)
    list_display = ["id", "settler", "program", "amount_yuan", "period_kind", "starts_on", "stops_on",
                    "paid", "competes"]
    list_filter = ["program", "period_kind", "beneficiary", "competes"]
    search_fields = ["=applicant__id_number", "=registration__application__case_number"]
    list_select_related = ["applicant", "program"]
    show_full_result_count = False
    inlines = [PaymentInline]
    fields = ["program", "settler", "registration", "commitment", "beneficiary", "employer", "family",
              "period_kind", "amount_yuan", "max_periods", "starts_on", "stops_on", "stop_reason", "competes",
              "conditions_met", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("conditions met"))
    def conditions_met(self, obj):
        return format_html_join(mark_safe("<br>"), "{} {}", (("✓" if c.get("ok") else "✗", c.get("label", ""))
                                                            for c in obj.basis or ()))

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .select_related("applicant", "program", "registration", "commitment", "employer")
            .annotate(paid_periods=Count("payments"))
        )

    @admin.display(description=_("settler"))
    def settler(self, obj):
        return masked_settler(obj.applicant)

    @admin.display(description=_("amount per period"))
    def amount_yuan(self, obj):
        return amount(obj.amount_fen)

    @admin.display(description=_("paid / at most"))
    def paid(self, obj):
        return f"{obj.paid_periods} / {obj.max_periods}"


class RevokeForm(ActionForm):
    reason = forms.CharField(label=_("reason"), required=False, max_length=200)


class FactRecordForm(forms.Form):
    id_number = forms.CharField(label=_("ID number of the settler"), max_length=18)
    kind = forms.ChoiceField(label=_("fact"), choices=FactEvent.Kind.choices)
    occurred_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    employer_uscc = forms.CharField(
        label=_("employer's unified social credit code"), max_length=30, required=False,
        help_text=_("For a new job or a new employer (optional)."),
    )
    employer_name = forms.CharField(label=_("employer's name"), max_length=120, required=False)
    in_district = forms.BooleanField(
        label=_("employment in the district"), required=False, initial=True,
        help_text=_("For a new employment: whether the employer is in the district (安心补贴 needs it)."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        applicant = applicants_visible_to(self.user).filter(id_number=value).first()
        if applicant is None:
            raise forms.ValidationError(gettext("No settled person with this ID number that you may see."))
        self.applicant = applicant
        return value

    def clean_employer_uscc(self):
        value = self.cleaned_data["employer_uscc"].strip().upper()
        if value:
            validate_uscc(value)
        return value


@admin.register(FactEvent)
class FactEventAdmin(ScopedHistoryAdmin):
    jurisdiction_path = FACT_EVENT_PATH
    personal_data_path = "applicant"
    history_revert = False  # a fact is recorded or revoked through the services, never edited
    list_display = ["occurred_on", "settler", "kind", "employer", "source", "recorded_by", "recorded_at", "revoked"]
    list_filter = ["kind", "source", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["=applicant__id_number"]
    list_select_related = ["applicant", "employer", "recorded_by"]
    date_hierarchy = "occurred_on"
    action_form = RevokeForm
    actions = ["revoke"]
    fields = ["settler", "kind", "occurred_on", "employer", "in_district", "note", "source", "recorded_by",
              "recorded_at", "revoked_at", "revoked_by", "revoke_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("applicant", "employer", "recorded_by")

    def has_add_permission(self, request):
        return may_record_facts(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return may_record_facts(request.user)

    @admin.display(description=_("settler"))
    def settler(self, obj):
        return masked_settler(obj.applicant)

    @admin.display(description=_("revoked"), boolean=True)
    def revoked(self, obj):
        return obj.revoked_at is not None

    @admin.action(description=_("Revoke the selected facts (give the reason)"), permissions=["revoke"])
    def revoke(self, request, queryset):
        reason = request.POST.get("reason", "")
        done = 0
        for event in queryset.filter(revoked_at__isnull=True):
            if report_errors(self, request, lambda e=event: fact_event_revoke(
                    event_id=e.pk, actor=request.user, reason=reason)) is None:
                return
            done += 1
        self.message_user(request, gettext("%(count)d facts revoked.") % {"count": done}, messages.SUCCESS)

    def add_view(self, request, form_url="", extra_context=None):
        """Record a fact through the service (its errors go back to the form; nothing is saved)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FactRecordForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                event, result = fact_event_record(
                    applicant_id=form.applicant.pk, kind=data["kind"], occurred_on=data["occurred_on"],
                    actor=request.user, source=FactEvent.Source.ADMIN, note=data["note"],
                    employer_uscc=data["employer_uscc"], employer_name=data["employer_name"],
                    in_district=data["in_district"],
                )
            except SubsidyError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(request, gettext(
                    "Recorded: %(fact)s on %(day)s. Entitlements changed: %(changed)d; payments flagged for "
                    "recovery: %(flagged)d."
                ) % {"fact": FACT_KINDS[event.kind], "day": event.occurred_on,
                     "changed": len(result.changed_entitlements), "flagged": len(result.flagged_payments)},
                    messages.SUCCESS)
                return redirect(reverse("admin:subsidies_factevent_changelist"))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "title": gettext("Record a fact of a settled person"), "today": shanghai_today(),
        }
        return TemplateResponse(request, "admin/subsidies/form.html", context)


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "uscc"]

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()


@admin.register(Employer)
class EmployerAdmin(GuardedHistoryAdmin):
    """Employers are legal persons on a public register (name, unified social credit code): not scoped.
    Those who record facts edit them; a revert from the history needs the same change permission and is
    saved (and audited) like an edit."""

    form = EmployerForm
    list_display = ["name", "uscc", "created_at"]
    search_fields = ["name", "=uscc"]

    def has_add_permission(self, request):
        return may_record_facts(request.user)

    def has_change_permission(self, request, obj=None):
        return may_record_facts(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_write(
            actor=request.user, action="employer_change" if change else "employer_create", target=obj,
            summary=f"{'修改' if change else '登记'}用人单位：{obj}",
            data={field: str(form.cleaned_data.get(field)) for field in form.changed_data},
        )


class GuidingEmployerForm(forms.Form):
    uscc = forms.CharField(label=_("unified social credit code"), max_length=30)
    name = forms.CharField(label=_("name (for a new employer)"), max_length=120, required=False)


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    jurisdiction_path = COMMITMENT_PATH
    personal_data_path = "applicant"
    history_revert = False  # the commitment's status changes through the services only
    list_display = ["id", "settler", "starts_on", "ends_on", "status", "broken_on", "employer", "rewards"]
    list_filter = ["status"]
    search_fields = ["=applicant__id_number", "=employer__uscc"]
    list_select_related = ["applicant", "employer"]
    fields = ["settler", "registration", "employer", "years", "starts_on", "ends_on", "status", "broken_on"]
    readonly_fields = fields
    change_form_template = "admin/subsidies/commitment/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("entitlements__payments")

    @admin.display(description=_("settler"))
    def settler(self, obj):
        return masked_settler(obj.applicant)

    @admin.display(description=_("rewards paid"))
    def rewards(self, obj):
        paid = [p for e in obj.entitlements.all() for p in e.payments.all()]
        return "、".join(f"{yuan(p.amount_fen)}（{p.get_recovery_status_display()}）" for p in paid) or "—"

    def get_urls(self):
        return [
            path("<int:commitment_id>/employer/", self.admin_site.admin_view(self.employer_view),
                 name="subsidies_commitment_employer"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_set_employer": may_record_facts(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def employer_view(self, request, commitment_id: int):
        """Record the employer that guided the settlement (its credit code is checked)."""
        commitment = get_object_or_404(self.get_queryset(request), pk=commitment_id)
        if not may_record_facts(request.user):
            raise PermissionDenied
        form = GuidingEmployerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                commitment_employer_set(
                    commitment_id=commitment.pk, uscc=form.cleaned_data["uscc"], name=form.cleaned_data["name"],
                    actor=request.user,
                )
            except SubsidyError as error:
                form.add_error("uscc" if error.field == "employer_uscc" else
                               "name" if error.field == "employer_name" else None, error.message)
            else:
                self.message_user(request, gettext("The guiding employer is recorded."), messages.SUCCESS)
                return redirect(reverse("admin:subsidies_commitment_change", args=[commitment.pk]))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form, "original": commitment,
            "title": gettext("Guiding employer of the 5-year commitment"),
        }
        return TemplateResponse(request, "admin/subsidies/form.html", context)

