from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """Entitlements, payment runs, payment batches, rewards and 5-year commitments."""

    name = "subsidies"
    verbose_name = _("Subsidies and rewards")
