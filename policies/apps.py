from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """Policy tables seeded from the notices, the working calendar and the eligibility engine."""

    name = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from policies import signals  # noqa: F401  (policy edits invalidate the engine's cache)
