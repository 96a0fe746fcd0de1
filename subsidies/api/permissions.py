"""Who may call the subsidies API: staff with the app's view permission read; clerks, registrars and
finance record or revoke facts. Which settlers one sees is decided by applicants_visible_to."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from subsidies.access import may_read, may_record_facts


class ReadsSubsidies(BasePermission):
    message = "无权查看补贴信息：请使用财务、审计、领导或受理岗位账号"

    def has_permission(self, request, view) -> bool:
        return may_read(request.user)


class ReadOrRecordFacts(BasePermission):
    message = ReadsSubsidies.message

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return may_read(request.user)
        self.message = "只有受理人员、户籍民警和财务人员可以记录或撤销事实"
        return may_record_facts(request.user)
