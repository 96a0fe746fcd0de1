"""Roles are Django groups. This module says which permissions each role holds (wiring across apps)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

POLICY_APPS = ("policies",)


@dataclass(frozen=True)
class Role:
    code: str
    group: str
    staff: bool
    # (app label, action) pairs: every model of the app gets that permission; ("app.model", action): one model
    grants: tuple[tuple[str, str], ...]


# Clerks, approvers and registrars only *view* the case models through the normal admin forms: they act
# on a case through the buttons of the case page, which check the role (group) and call the services.
ROLES = (
    Role("applicant", "申请人", staff=False, grants=()),
    Role("clerk", "受理人员", staff=True,
         grants=(("policies", "view"), ("applications", "view"), ("subsidies", "view"))),
    Role("approver", "审批人员", staff=True, grants=(("policies", "view"), ("applications", "view"))),
    Role("registrar", "户籍民警", staff=True,
         grants=(("policies", "view"), ("applications", "view"), ("subsidies", "view"))),
    Role("finance", "财务人员", staff=True,
         grants=(("policies", "view"), ("subsidies", "view"), ("subsidies", "add"), ("subsidies", "change"))),
    Role("finance_approver", "财务复核人员", staff=True, grants=(("policies", "view"), ("subsidies", "view"))),
    Role(
        "policy_admin",
        "政策管理员",
        staff=True,
        grants=tuple(("policies", action) for action in ("view", "add", "change", "delete"))
        + (("django_celery_beat", "view"), ("django_celery_beat", "change")),
    ),
    Role(
        "auditor",
        "审计人员",
        staff=True,
        grants=(("policies", "view"), ("applications", "view"), ("subsidies", "view"), ("housing", "view")),
    ),
    Role("leader", "领导", staff=True, grants=(("policies", "view"), ("subsidies", "view"))),
    # 数据分析: reads the dashboard like a leader and enters the yearly outside figures of the targets
    Role(
        "analyst",
        "数据分析人员",
        staff=True,
        grants=(("policies", "view"), ("policies.indicatorfigure", "add"), ("policies.indicatorfigure", "change")),
    ),
)
ROLES_BY_CODE = {role.code: role for role in ROLES}


def _permissions(target: str, action: str) -> list[Permission]:
    app_label, _dot, model_name = target.partition(".")
    models = [m for m in django_apps.get_app_config(app_label).get_models()
              if not model_name or m._meta.model_name == model_name]
    codenames = [f"{action}_{m._meta.model_name}" for m in models]
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create or update one group per role with exactly the permissions listed above (idempotent)."""
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.group)
        permissions = [p for app_label, action in role.grants for p in _permissions(app_label, action)]
        group.permissions.set(permissions)
        groups[role.code] = group
    return groups
