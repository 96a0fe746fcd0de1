"""Shared pieces of the subsidies admin: read-only by default; acting goes through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from hukou.admin_base import ReadOnlyMixin
from subsidies.errors import RunBusyError, SubsidyError
from subsidies.money import yuan


def report_errors(model_admin: admin.ModelAdmin, request, call) -> object | None:
    """Run a service call; its errors become an error message on the page (nothing changed)."""
    try:
        return call()
    except SubsidyError as error:
        model_admin.message_user(request, error.message, level=messages.ERROR)
    except RunBusyError as error:
        model_admin.message_user(request, error.message, level=messages.WARNING)
    return None

def amount(fen: int | None) -> str:
    return f"¥{yuan(fen)}" if fen is not None else "—"

def masked_settler(applicant) -> str:
    return f"{applicant.real_name}（{applicant.id_number_masked}）"

def progress_bar(percent: int):
    return format_html(
        '<progress max="100" value="{}" title="{}%"></progress> {}%', percent, percent, percent
    )



__all__ = ["ReadOnlyMixin", "amount", "masked_settler", "progress_bar", "report_errors"]
