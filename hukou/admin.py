"""Wiring in the admin: the user page carries the jurisdictions a member of staff works for (their scope
in applications.access). Users and groups remain the superusers' business."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from applications.models import StaffJurisdiction


class StaffJurisdictionInline(admin.TabularInline):
    model = StaffJurisdiction
    extra = 0
    autocomplete_fields = ["jurisdiction"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffJurisdictionInline]
