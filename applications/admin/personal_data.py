"""个人信息访问留痕 in the admin: read-only for auditors (and superusers), searched by person, staff user
and period. The ID number of the person is entered in a POST form and never travels in a URL: the
search redirects to the list filtered by the person's internal id."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applications.access import user_has_role
from applications.models import Applicant, PersonalDataAccess
from applications.selectors import personal_data_accesses_visible_to
from applications.services.personal_data import Kind, personal_data_access_record
from hukou.admin_base import ReadOnlyMixin

AUDITOR = "auditor"


class AccessSearchForm(forms.Form):
    id_number = forms.CharField(label=_("ID number of the person"), max_length=18, required=False)
    username = forms.CharField(label=_("staff username"), max_length=150, required=False)
    since = forms.DateField(label=_("from (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("until (date, inclusive)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        self.applicant = None
        if value:
            self.applicant = Applicant.objects.filter(id_number=value).only("pk").first()
            if self.applicant is None:
                raise forms.ValidationError(gettext("Nobody with this ID number is on record."))
        return value

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        self.staff_user = None
        if value:
            self.staff_user = get_user_model().objects.filter(username=value).only("pk").first()
            if self.staff_user is None:
                raise forms.ValidationError(gettext("No user with this username."))
        return value

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", gettext("The end of the period is before its start."))
        return cleaned

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        query = {}
        if self.applicant is not None:
            query["applicant__id__exact"] = str(self.applicant.pk)
        if self.staff_user is not None:
            query["user__id__exact"] = str(self.staff_user.pk)
        if data.get("since"):
            query["at__date__gte"] = data["since"].isoformat()
        if data.get("until"):
            query["at__date__lt"] = (data["until"] + timedelta(days=1)).isoformat()
        return query


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "at", "username", "kind", "person", "object_type", "object_id", "detail",
                    "client_address"]
    list_filter = ["kind"]
    list_select_related = ["applicant"]
    date_hierarchy = "at"
    show_full_result_count = False
    actions = None
    fields = ["at", "username", "user", "person", "kind", "object_type", "object_id", "detail", "client_address",
              "prev_hash", "hash"]
    readonly_fields = fields
    change_list_template = "admin/applications/personaldataaccess/change_list.html"

    # --- auditors read; nobody, superusers included, writes -------------------------------------------
    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and user.is_staff and (
            user.is_superuser or (user_has_role(user, AUDITOR) and super().has_view_permission(request, obj))
        )

    def get_queryset(self, request):
        return personal_data_accesses_visible_to(request.user).select_related("applicant")

    @admin.display(description=_("person"))
    def person(self, obj):
        return str(obj.applicant) if obj.applicant_id else "—"  # name and masked ID number

    # --- the search form (POST) -------------------------------------------------------------------------
    def get_urls(self):
        return [
            path("search/", self.admin_site.admin_view(require_POST(self.search_view)),
                 name="applications_personaldataaccess_search"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {"search_form": AccessSearchForm(), "search_url": reverse(
            "admin:applications_personaldataaccess_search"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def search_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = AccessSearchForm(request.POST)
        if not form.is_valid():
            request.method = "GET"  # render the list with the bound form and its errors
            response = super().changelist_view(request, {
                "search_form": form, "search_url": reverse("admin:applications_personaldataaccess_search"),
            })
            return response
        if form.applicant is not None:
            # looking a person up by their ID number is itself a view of personal data
            personal_data_access_record(request=request, applicant=form.applicant, kind=Kind.ID_SEARCH,
                                        detail="personal data access records")
        if not form.filters():
            messages.info(request, gettext("Give a person, a staff user or a period."))
        url = reverse("admin:applications_personaldataaccess_changelist")
        return HttpResponseRedirect(f"{url}?{urlencode(form.filters())}" if form.filters() else url)



