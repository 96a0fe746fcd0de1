"""Sending a Celery task after the transaction commits, without letting a broker outage undo a request
whose work is already committed: the send is attempted once (no retries that would hold the request),
and a failure is logged. Every task sent this way has a scheduled job that finds its work undone and
does it (the notification outbox, stalled payment runs)."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger("hukou.queueing")


def enqueue_on_commit(task, *, args: list, queue: str | None = None) -> None:
    options = {"queue": queue} if queue else {}

    def send():
        try:
            task.apply_async(args=args, retry=False, **options)
        except Exception as error:  # broker down: the scheduled job catches up
            logger.warning("could not queue %s (%s); the scheduled job will pick it up", task.name,
                           error.__class__.__name__)

    transaction.on_commit(send)
