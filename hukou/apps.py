from django.apps import AppConfig


class HukouConfig(AppConfig):
    """Project wiring: roles, demo accounts and the management commands that span apps."""

    name = "hukou"
    verbose_name = "落户业务办理系统"
