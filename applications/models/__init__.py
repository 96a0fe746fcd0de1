from applications.models.applicants import Applicant
from applications.models.applications import Application, ApplicationState
from applications.models.appointments import Appointment, OfficeSlot
from applications.models.audit import ApplicationTransition
from applications.models.family import FamilyMember
from applications.models.idempotency import IdempotencyKey
from applications.models.materials import CorrectionNotice, Material
from applications.models.notifications import Notification
from applications.models.personal_data import PersonalDataAccess, PersonalDataAuditHead
from applications.models.phone_codes import PhoneCode
from applications.models.ratings import RatingFollowUp, RatingLevel, ServiceRating
from applications.models.registration import Registration
from applications.models.staff import StaffJurisdiction

__all__ = [
    "Applicant",
    "Application",
    "ApplicationState",
    "ApplicationTransition",
    "Appointment",
    "CorrectionNotice",
    "FamilyMember",
    "IdempotencyKey",
    "Material",
    "Notification",
    "OfficeSlot",
    "PersonalDataAccess",
    "PersonalDataAuditHead",
    "PhoneCode",
    "RatingFollowUp",
    "RatingLevel",
    "Registration",
    "ServiceRating",
    "StaffJurisdiction",
]
