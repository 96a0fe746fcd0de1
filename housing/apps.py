from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    """Public rental housing and rent-subsidy applications, the waiting list and leases."""

    name = "housing"
    verbose_name = _("Housing")
