from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The applicant portal (申请人门户). Its models live in the applications app; this config exists so
    that the admin of the portal's own tables (office slots, ratings and their follow-ups) is found
    by the admin's autodiscovery in applications/portal/admin.py."""

    name = "applications.portal"
    label = "portal"
    verbose_name = "申请人门户"
