"""Admin base classes every admin of the project builds on (wiring; no app imported here).

``GuardedHistoryAdmin`` closes django-simple-history's side doors:

- the history list (``…/<id>/history/``) and each version page (``…/<id>/history/<version>/``) find the
  object through ``get_queryset`` — so through the admin's scope, exactly as the change page does. An
  object outside it is a 404; the history of a row deleted since is shown only where the admin says
  ``history_of_deleted_rows = True`` (global reference data such as policy tables).
- a version page is read-only unless the admin allows reverting (``history_revert``, off for rows whose
  changes go through services: cases, payments, entitlements, facts, commitments, audit rows) *and* the
  user may change this very object (``has_change_permission(request, obj)``, which carries the scope of
  a scoped admin). Any other POST is refused (403) and saves nothing. A revert is saved through the
  admin's own form and ``save_model`` in one transaction, like an edit on the change page.

The scope itself (role × jurisdiction) is applications.access; ``applications.admin.scoped.ScopedAdmin``
applies it to an admin.
"""

from __future__ import annotations

from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyMixin:
    """Rows that change only through services (or never): everyone with the view permission reads; nobody,
    superusers included, adds, edits, deletes or reverts them through the admin's forms."""

    history_revert = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    history_revert = True
    history_of_deleted_rows = False

    # --- which object, and may it be reverted --------------------------------------------------------
    def history_object(self, request, object_id):
        """The current row, if this user may see it here; None for a row deleted since (where allowed)."""
        model = self.model
        try:
            return self.get_queryset(request).get(pk=unquote(object_id))
        except (model.DoesNotExist, ValidationError, ValueError, TypeError):
            pass
        if self.history_of_deleted_rows:
            try:
                exists = model._base_manager.filter(pk=unquote(object_id)).exists()
            except (ValidationError, ValueError, TypeError):
                raise Http404 from None
            if not exists:
                return None
        raise Http404

    def may_revert(self, request, obj) -> bool:
        return bool(self.history_revert and obj is not None and self.has_change_permission(request, obj))

    def revert_disabled(self, request, obj=None):
        return not self.may_revert(request, obj) or super().revert_disabled(request, obj)

    # --- the views -----------------------------------------------------------------------------------
    def history_view(self, request, object_id, extra_context=None):
        self.history_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.history_object(request, object_id)
        may_revert = self.may_revert(request, current)
        if request.method not in READ_ONLY_METHODS:
            if not may_revert:
                raise PermissionDenied
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        request._history_read_only = not may_revert
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        form = context.get("adminform")
        if form is not None and getattr(request, "_history_read_only", False):
            # every field shown as text, no inputs and no save button: nothing to post back
            context["adminform"] = helpers.AdminForm(
                form.form, list(form.fieldsets), {}, flatten_fieldsets(form.fieldsets), model_admin=self
            )
            context["revert_disabled"] = True
            context["has_change_permission"] = False
        return super().render_history_view(request, template, context, **kwargs)
