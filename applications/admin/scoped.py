"""Admin base classes that apply the one scoping rule (applications.access) to every admin view.

An admin opts in by naming where its rows find their jurisdiction::

    @admin.register(Entitlement)
    class EntitlementAdmin(ScopedHistoryAdmin):
        jurisdiction_path = "registration__application__jurisdiction"
        personal_data_path = "applicant"   # optional: change and history pages leave an audit row
        history_revert = False             # optional: version pages read-only for everybody

Then the changelist, change, delete, history and version pages, autocomplete (which lists
``get_queryset``) and actions (which act on ``get_queryset``) show only rows in the user's scope; a row
outside it does not exist (404, or the admin's "does not exist" redirect). Object permissions are the
model permissions *and* the scope, and a save that would move a row out of the user's scope is refused
and rolled back. Global reference data (policy tables) uses hukou.admin_base.GuardedHistoryAdmin alone.
"""

from __future__ import annotations

import re

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction

from applications.access import may_see_object, scope_queryset
from applications.services.personal_data import Kind, personal_data_access_record
from hukou.admin_base import READ_ONLY_METHODS, GuardedHistoryAdmin

ID_NUMBER = re.compile(r"\d{17}[\dX]")


def _follow(obj, path: str | None):
    for name in (path or "").split("__"):
        if obj is None or not name:
            break
        obj = getattr(obj, name, None)
    return obj


class ScopedAdmin(admin.ModelAdmin):
    jurisdiction_path: str = ""  # required: lookup path to the row's policies.Jurisdiction
    personal_data_path: str | None = None  # path to the Applicant a change page shows (audit row)

    def get_queryset(self, request):
        if not self.jurisdiction_path:
            raise NotImplementedError(f"{type(self).__name__} must set jurisdiction_path")
        return scope_queryset(super().get_queryset(request), user=request.user, path=self.jurisdiction_path)

    def in_scope(self, request, obj) -> bool:
        return obj is None or may_see_object(request.user, obj, path=self.jurisdiction_path)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not may_see_object(request.user, obj, path=self.jurisdiction_path):
                raise PermissionDenied("the row would leave your jurisdictions")

    # --- personal data: a page that shows a person's rows leaves an audit row ---------------------
    def record_personal_data_view(self, request, object_id) -> None:
        if self.personal_data_path is None or request.method not in READ_ONLY_METHODS:
            return
        obj = self.get_object(request, object_id)
        if obj is not None:
            personal_data_access_record(
                request=request, applicant=_follow(obj, self.personal_data_path), kind=Kind.RECORD_PAGE, obj=obj,
                detail=request.path,
            )

    def record_id_number_search(self, request, response) -> None:
        """A list searched by a full ID number that found the person shows whose rows they are: recorded."""
        term = request.GET.get(SEARCH_VAR, "").strip().upper()
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if self.personal_data_path is None or not ID_NUMBER.fullmatch(term) or changelist is None:
            return
        if changelist.result_count:
            personal_data_access_record(
                request=request, applicant=_follow(changelist.result_list[0], self.personal_data_path),
                kind=Kind.ID_SEARCH, detail=f"{self.model._meta.label_lower}: {changelist.result_count}",
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            self.record_id_number_search(request, response)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self.record_personal_data_view(request, object_id)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self.record_personal_data_view(request, object_id)
        return response


class ScopedHistoryAdmin(ScopedAdmin, GuardedHistoryAdmin):
    """A scoped admin with django-simple-history pages that obey the scope and never write around it."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            self.record_personal_data_view(request, object_id)
        return response
