"""Who may call which endpoint. Which *rows* a caller sees is decided by applications_visible_to
(applications.access for staff);
these classes decide which *roles* may use an endpoint at all.

- applicant: a logged-in, non-staff account with an Applicant profile; files and follows own cases.
- case staff: the roles that work on or audit cases (clerk, approver, registrar, auditor); they may
  read the cases of their jurisdictions here but never act on them through this API (the admin is
  their tool). Finance, policy admins and leaders have no business with single cases: 403.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from applications.access import is_active_staff, user_has_role
from applications.selectors import CASE_READER_ROLES as CASE_STAFF_ROLES


def is_applicant(user) -> bool:
    return bool(user and user.is_authenticated and not user.is_staff and hasattr(user, "applicant"))


def is_case_staff(user) -> bool:
    return is_active_staff(user) and user_has_role(user, *CASE_STAFF_ROLES)


class IsAccountHolder(BasePermission):
    """A logged-in account that is not a staff account (may register or read its applicant profile)."""

    message = "工作人员账号不能登记为申请人"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not user.is_staff)


class IsApplicant(BasePermission):
    """An applicant with a registered profile."""

    message = "请先登记申请人信息；工作人员不能通过本接口办理申请"

    def has_permission(self, request, view) -> bool:
        return is_applicant(request.user)


class IsApplicantOrCaseStaff(BasePermission):
    """Reading cases: applicants (their own) and case staff (their jurisdictions')."""

    message = "无权查看办件：请先登记申请人信息，或使用受理、审批、户籍或审计岗位账号"

    def has_permission(self, request, view) -> bool:
        return is_applicant(request.user) or is_case_staff(request.user)


class ReadByCaseStaffWriteByApplicant(BasePermission):
    """GET/HEAD/OPTIONS as IsApplicantOrCaseStaff; anything that writes as IsApplicant."""

    message = IsApplicantOrCaseStaff.message

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return is_applicant(request.user) or is_case_staff(request.user)
        self.message = IsApplicant.message
        return is_applicant(request.user)
