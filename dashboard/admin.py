"""The yearly outside figures of the targets (年度统计数), entered by analysts for the jurisdictions they work
for (policy admins for every one); every edit kept in history, whose pages obey the same scope."""

from __future__ import annotations

from datetime import date

from django.contrib import admin

from applications.admin.scoped import ScopedAdmin, ScopedHistoryAdmin
from dashboard.access import dashboard_jurisdiction_ids
from policies.models import Indicator, IndicatorFigure


def _unbound(request) -> bool:
    """Superusers and policy admins edit the policy tables of every jurisdiction."""
    user = request.user
    return user.is_superuser or user.has_perm("policies.change_target")


@admin.register(IndicatorFigure)
class IndicatorFigureAdmin(ScopedHistoryAdmin):
    jurisdiction_path = "indicator__jurisdiction"
    list_display = ["indicator", "year", "value", "as_of", "source"]
    list_filter = ["year", "indicator__jurisdiction"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "indicator__name", "source"]
    fields = ["indicator", "year", "value", "as_of", "source", "note"]

    def get_queryset(self, request):
        if _unbound(request):  # policy tables are global for those who edit them
            return super(ScopedAdmin, self).get_queryset(request)
        return super().get_queryset(request)

    def in_scope(self, request, obj) -> bool:
        return _unbound(request) or super().in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        if _unbound(request):
            return super(ScopedAdmin, self).save_model(request, obj, form, change)
        return super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            indicators = Indicator.objects.filter(source=Indicator.Source.OUTSIDE)
            if not _unbound(request):
                indicators = indicators.filter(jurisdiction_id__in=dashboard_jurisdiction_ids(request.user))
            kwargs["queryset"] = indicators
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        year = str(initial.get("year", ""))
        if year.isdigit() and 1990 <= int(year) <= 9999 and "as_of" not in initial:
            initial["as_of"] = date(int(year), 12, 31)
        return initial
