"""Django admin of the applications app: the clerks' work queues and the case page (see cases.py)."""

from applications.admin.cases import ApplicationAdmin

__all__ = ["ApplicationAdmin"]
