"""Admin of the portal's tables: office slots and their capacity, the bookings, the ratings and the
follow-up queue of poor ratings. Everyone sees the rows of their scope (applications.access); office
staff (clerks, approvers, registrars) manage the slots and answer the poor ratings there."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from applications.access import is_active_staff, user_has_role, user_scope
from applications.admin.scoped import ScopedAdmin, ScopedHistoryAdmin
from applications.errors import ApplicationError, ConflictError
from applications.models import Appointment, OfficeSlot, RatingFollowUp, ServiceRating
from applications.services.ratings import rating_followup_resolve
from hukou.admin_base import ReadOnlyMixin
from policies.models import Jurisdiction

# The office roles that run the window: they manage slots and answer poor ratings of their places.
OFFICE_ROLES = ("clerk", "approver", "registrar")


def _office_staff(request) -> bool:
    return is_active_staff(request.user) and user_has_role(request.user, *OFFICE_ROLES)


def _jurisdictions(request) -> set[int] | None:
    """None: every jurisdiction (superuser); else the jurisdictions of the user's scope."""
    scope = user_scope(request.user)
    return None if scope.everything else set(scope.jurisdiction_ids)


class OfficeSlotForm(forms.ModelForm):
    class Meta:
        model = OfficeSlot
        fields = ["jurisdiction", "office", "address", "starts_at", "ends_at", "capacity"]

    def __init__(self, *args, allowed: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None and "jurisdiction" in self.fields:
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.filter(pk__in=allowed)

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.booked:
            self.add_error("capacity", f"已有 {self.instance.booked} 人预约，可预约人数不能少于已预约人数")
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "结束时间应晚于开始时间")
        return cleaned


@admin.register(OfficeSlot)
class OfficeSlotAdmin(ScopedHistoryAdmin):
    """Office staff manage the slots of their jurisdictions (and may revert a slot's history there)."""

    jurisdiction_path = "jurisdiction"
    form = OfficeSlotForm
    list_display = ["office", "jurisdiction", "starts_at", "ends_at", "capacity", "booked", "remaining_places"]
    list_filter = ["jurisdiction", "office"]
    date_hierarchy = "starts_at"
    search_fields = ["office", "address"]
    ordering = ["-starts_at"]
    readonly_fields = ["booked"]
    list_select_related = ["jurisdiction"]

    @admin.display(description="剩余名额")
    def remaining_places(self, obj: OfficeSlot) -> int:
        return obj.remaining

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        allowed = _jurisdictions(request)

        class ScopedForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, allowed=allowed, **inner)

        return ScopedForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) or _office_staff(request)

    def has_change_permission(self, request, obj=None):
        return (super().has_change_permission(request, obj) or _office_staff(request)) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.booked:
            return False  # give the bookings another slot first
        return (super().has_delete_permission(request, obj) or _office_staff(request)) and self.in_scope(request, obj)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyMixin, ScopedAdmin):
    jurisdiction_path = "application__jurisdiction"
    list_display = ["application", "method", "slot", "recipient", "updated_at"]
    list_filter = ["method"]
    search_fields = ["application__case_number"]
    list_select_related = ["application", "slot"]
    readonly_fields = ["application", "method", "slot", "recipient", "phone", "postal_address", "updated_by",
                       "created_at", "updated_at"]


@admin.register(ServiceRating)
class ServiceRatingAdmin(ReadOnlyMixin, ScopedAdmin):
    jurisdiction_path = "application__jurisdiction"
    list_display = ["application", "overall", "efficiency", "guide_accuracy", "convenience", "ease_of_use",
                    "created_at"]
    list_filter = ["overall"]
    search_fields = ["application__case_number"]
    list_select_related = ["application"]
    readonly_fields = ["application", "overall", "efficiency", "guide_accuracy", "convenience", "ease_of_use",
                       "comment", "created_at"]
    exclude = ["rated_by"]


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = RatingFollowUp
        fields = ["resolution"]
        widgets = {"resolution": forms.Textarea(attrs={"rows": 5})}

    def clean_resolution(self):
        value = (self.cleaned_data.get("resolution") or "").strip()
        if not value:
            raise forms.ValidationError("请填写整改情况（联系申请人的结果、采取的措施）")
        return value


@admin.register(RatingFollowUp)
class RatingFollowUpAdmin(ScopedAdmin):
    """差评整改 queue: open items first; an open item is closed by recording its resolution."""

    jurisdiction_path = "jurisdiction"
    form = FollowUpForm
    list_display = ["__str__", "case_number", "jurisdiction", "status", "created_at", "resolved_at"]
    list_filter = ["status", "jurisdiction"]
    search_fields = ["rating__application__case_number"]
    list_select_related = ["rating__application", "jurisdiction"]
    ordering = ["status", "created_at"]

    @admin.display(description="办件编号")
    def case_number(self, obj: RatingFollowUp) -> str:
        return obj.rating.application.case_number

    @admin.display(description="评价")
    def rating_summary(self, obj: RatingFollowUp) -> str:
        scores = "；".join(f"{label}：{level_label}" for _f, label, _l, level_label in obj.rating.scores())
        return f"{scores}\n评价内容：{obj.rating.comment or '（无）'}"

    def get_readonly_fields(self, request, obj=None):
        fields = ["case_number", "jurisdiction", "rating_summary", "status", "created_at", "resolved_by",
                  "resolved_at"]
        return fields

    def get_fields(self, request, obj=None):
        return ["case_number", "jurisdiction", "rating_summary", "status", "created_at", "resolution",
                "resolved_by", "resolved_at"]

    def has_add_permission(self, request):
        return False  # opened by a poor rating only

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != RatingFollowUp.Status.OPEN:
            return False  # resolved: kept as it was recorded
        return (super().has_change_permission(request, obj) or _office_staff(request)) and self.in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            rating_followup_resolve(followup_id=obj.pk, actor=request.user,
                                    resolution=form.cleaned_data["resolution"])
        except (ApplicationError, ConflictError) as error:
            messages.error(request, error.message)
            raise PermissionDenied(error.message) from None
        obj.refresh_from_db()
