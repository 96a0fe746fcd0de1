"""Django admin of the subsidies app: finance acts (runs, recoveries), clerks record facts, others read."""

from subsidies.admin.audit import AuditEntryAdmin
from subsidies.admin.entitlements import CommitmentAdmin, EmployerAdmin, EntitlementAdmin, FactEventAdmin
from subsidies.admin.payments import PaymentAdmin, PaymentProgramAdmin, PaymentRunAdmin

__all__ = [
    "AuditEntryAdmin",
    "CommitmentAdmin",
    "EmployerAdmin",
    "EntitlementAdmin",
    "FactEventAdmin",
    "PaymentAdmin",
    "PaymentProgramAdmin",
    "PaymentRunAdmin",
]
