from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applicants, applications (落户申请), materials, the state machine and registration."""

    name = "applications"
    verbose_name = _("Applications")
