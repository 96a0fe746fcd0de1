from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The applicant portal (申请人门户): the applicant's web pages, thin views over the services and
    selectors of the apps below it. It sits on top (DESIGN.md "Layout"): no app imports it. Its tables
    (office slots, ratings and their follow-ups) live in the applications app; their admin is here."""

    name = "portal"
    label = "portal"
    verbose_name = "申请人门户"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from portal.auth import count_failed_login

        user_login_failed.connect(count_failed_login, dispatch_uid="portal.count_failed_login")
