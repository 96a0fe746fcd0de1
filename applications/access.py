"""The one scoping rule (role × jurisdiction): which rows a member of staff may see.

Every selector, API view, admin and document view of every app asks this module; nothing else decides.

- **Roles** are Django groups (``hukou.roles``). A role's model permissions say *what* it may do with a
  kind of row (view, add, change, …); the role itself is read with :func:`user_roles`.
- **Scope** says *which* rows: a member of staff sees the rows of the jurisdictions they are assigned
  (``StaffJurisdiction``) and of every jurisdiction below them, whatever their role. Every staff role is
  jurisdiction-bound: an auditor, finance officer or leader of ``sx.kq`` does not see Hangzhou.
  Superusers see everything. Accounts that are not active staff have no staff scope (an applicant's own
  cases are ``applications_visible_to``'s business).
- **Policy tables** (routes, programs, calendars, jurisdictions, …) are global reference data: readable
  by staff with the view permission, editable by the policy admin's change permission; never scoped.

API (keep it small; other apps build on it)::

    user_roles(user) -> frozenset[str]                    # role codes of hukou.roles, e.g. {"clerk"}
    user_has_role(user, *codes) -> bool
    user_scope(user) -> Scope                             # Scope.everything / Scope.jurisdiction_ids
    scope_queryset(queryset, *, user, path) -> QuerySet   # rows whose jurisdiction (at ``path``) is in scope
    may_see_jurisdiction(user, jurisdiction) -> bool      # a Jurisdiction, its id, or None
    may_see_object(user, obj, *, path) -> bool            # one row, by the same path

``path`` is the lookup path from the model to its ``policies.Jurisdiction`` foreign key, the way one
writes it in ``filter()``: ``"jurisdiction"`` on a case, ``"application__jurisdiction"`` on a material,
``"registration__application__jurisdiction"`` on an entitlement. A path that crosses a to-many relation
(``"applicant__applications__jurisdiction"``) works too: the row is in scope when any of them is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model, QuerySet

from hukou.roles import ROLES, ROLES_BY_CODE

_ROLE_BY_GROUP = {role.group: role.code for role in ROLES}
_ROLES_CACHE = "_hukou_roles"
_SCOPE_CACHE = "_hukou_scope"


def user_roles(user) -> frozenset[str]:
    """The role codes of an active user, from their groups; one query, cached on the user object.

    Staff roles count only on a staff account (a non-staff account put in the clerks' group is no
    clerk); a superuser holds every staff role.
    """
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is not None:
        return cached
    if not (user is not None and user.is_authenticated and user.is_active):
        roles = frozenset()
    elif user.is_superuser and user.is_staff:
        roles = frozenset(code for code, role in ROLES_BY_CODE.items() if role.staff)
    else:
        names = user.groups.values_list("name", flat=True)
        roles = frozenset(
            _ROLE_BY_GROUP[name] for name in names
            if name in _ROLE_BY_GROUP and ROLES_BY_CODE[_ROLE_BY_GROUP[name]].staff == user.is_staff
        )
    setattr(user, _ROLES_CACHE, roles)
    return roles


def user_has_role(user, *codes: str) -> bool:
    unknown = set(codes) - set(ROLES_BY_CODE)
    if unknown:
        raise ValueError(f"unknown role codes {sorted(unknown)}")
    return bool(user_roles(user) & set(codes))


def is_active_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


@dataclass(frozen=True)
class Scope:
    """Where a user may see rows: everywhere (superusers) or in these jurisdiction ids (may be none)."""

    everything: bool
    jurisdiction_ids: frozenset[int]

    def covers(self, jurisdiction_id: int | None) -> bool:
        return self.everything or (jurisdiction_id is not None and jurisdiction_id in self.jurisdiction_ids)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.jurisdiction_ids


NOWHERE = Scope(everything=False, jurisdiction_ids=frozenset())
EVERYWHERE = Scope(everything=True, jurisdiction_ids=frozenset())


def _assigned_with_descendants(user_id: int) -> frozenset[int]:
    """The user's StaffJurisdiction rows and every jurisdiction below them: one recursive query."""
    from applications.models import StaffJurisdiction
    from policies.models import Jurisdiction

    sql = f"""
        WITH RECURSIVE tree(id) AS (
            SELECT jurisdiction_id FROM {StaffJurisdiction._meta.db_table} WHERE user_id = %s
            UNION
            SELECT j.id FROM {Jurisdiction._meta.db_table} j JOIN tree ON j.parent_id = tree.id
        )
        SELECT id FROM tree
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        return frozenset(row[0] for row in cursor.fetchall())


def user_scope(user) -> Scope:
    """The jurisdictions whose rows the user may see (cached on the user object for the request)."""
    cached = getattr(user, _SCOPE_CACHE, None)
    if cached is not None:
        return cached
    if not is_active_staff(user):
        scope = NOWHERE
    elif user.is_superuser:
        scope = EVERYWHERE
    else:
        scope = Scope(everything=False, jurisdiction_ids=_assigned_with_descendants(user.pk))
    setattr(user, _SCOPE_CACHE, scope)
    return scope


def _crosses_to_many(model: type[Model], path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
        if model is None:
            raise ValueError(f"{path!r}: {name!r} is not a relation")
    return False


def scope_queryset(queryset: QuerySet, *, user, path: str) -> QuerySet:
    """The rows of ``queryset`` whose jurisdiction, found at ``path``, the user may see."""
    scope = user_scope(user)
    if scope.everything:
        return queryset
    if scope.empty:
        return queryset.none()
    ids = sorted(scope.jurisdiction_ids)
    if _crosses_to_many(queryset.model, path):
        # a semi-join, so that a row reached through several related rows is listed once
        inner = queryset.model._base_manager.filter(**{f"{path}__in": ids}).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**{f"{path}__in": ids})


def may_see_jurisdiction(user, jurisdiction) -> bool:
    """May the user see rows of this jurisdiction (a Jurisdiction or its id)? None: only a superuser."""
    jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction)
    return user_scope(user).covers(jurisdiction_id)


def may_see_object(user, obj: Model, *, path: str) -> bool:
    """Is this row in the user's scope, by the same rule as :func:`scope_queryset`?"""
    scope = user_scope(user)
    if scope.everything:
        return True
    if scope.empty or obj is None or obj.pk is None:
        return False
    model = type(obj)
    if _crosses_to_many(model, path):
        return scope_queryset(model._base_manager.filter(pk=obj.pk), user=user, path=path).exists()
    *relations, last = path.split("__")
    node = obj
    for name in relations:
        node = getattr(node, name, None)
        if node is None:
            return False
    return scope.covers(getattr(node, f"{last}_id", None))
