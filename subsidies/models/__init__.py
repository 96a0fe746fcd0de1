from subsidies.models.audit import AuditEntry
from subsidies.models.employers import Employer, validate_uscc
from subsidies.models.entitlements import Commitment, Entitlement
from subsidies.models.events import FactEvent
from subsidies.models.payments import Payment, PaymentRun
from subsidies.models.programs import PaymentProgram, RegistrationIntake

__all__ = [
    "AuditEntry",
    "Commitment",
    "Employer",
    "Entitlement",
    "FactEvent",
    "Payment",
    "PaymentProgram",
    "PaymentRun",
    "RegistrationIntake",
    "validate_uscc",
]
