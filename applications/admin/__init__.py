"""Django admin of the applications app: the clerks' work queues and the case page (see cases.py), and
the auditors' read-only record of views of personal data (personal_data.py)."""

from applications.admin.cases import ApplicationAdmin
from applications.admin.personal_data import PersonalDataAccessAdmin

__all__ = ["ApplicationAdmin", "PersonalDataAccessAdmin"]
