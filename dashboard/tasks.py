"""Celery tasks (thin): the nightly refresh of the dashboard's figures, and the analyst's "refresh now"."""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from dashboard.services.refresh import RefreshBusyError, dashboard_refresh

logger = logging.getLogger(__name__)


@shared_task(name="dashboard.refresh")
def dashboard_refresh_task(trigger: str = "beat", user_id: int | None = None) -> dict:
    """Rebuild the aggregates; a refresh already running makes this one a no-op."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        refresh = dashboard_refresh(trigger=trigger, requested_by=user)
    except RefreshBusyError:
        logger.info("dashboard refresh skipped: another one is running")
        return {"status": "busy"}
    return {"refresh": refresh.pk, "status": refresh.status, "rows": refresh.rows}
