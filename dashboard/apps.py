from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The leaders' dashboard: settlements, service and spend against the notices' targets (counts only)."""

    name = "dashboard"
    verbose_name = _("Dashboard")
