from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """Entitlements, payment runs, payment batches, rewards and 5-year commitments."""

    name = "subsidies"
    verbose_name = _("Subsidies and rewards")

    def ready(self) -> None:
        from applications.events import application_registered
        from subsidies.receivers import on_application_registered

        application_registered.connect(on_application_registered, dispatch_uid="subsidies-entitlements")
