"""Shapes of the applicant API. Input serializers check only form (types, lengths); the rules are
the services'. Output never carries a full ID number or phone number, nor a file's storage path."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.models import Applicant, Application, ApplicationState, FamilyMember, Material, Notification
from applications.selectors import application_checklist

# --- input -------------------------------------------------------------------------------------


class ApplicantCreateSerializer(serializers.Serializer):
    real_name = serializers.CharField(max_length=60, help_text="真实姓名")
    id_number = serializers.CharField(max_length=18, help_text="居民身份证号码（18位，GB 11643 校验）")
    phone = serializers.CharField(max_length=11, help_text="手机号码（11位）")


class ApplicationCreateSerializer(serializers.Serializer):
    route = serializers.CharField(max_length=60, help_text="落户途径代码，如 kq.graduate")
    jurisdiction = serializers.CharField(max_length=40, help_text="申请落户地行政区划代码，如 sx.kq")
    facts = serializers.JSONField(help_text="申报事实（见 facts.schema.json）")


class ApplicationFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ApplicationState.choices, required=False, help_text="只列出此状态的办件")


class FamilyMemberCreateSerializer(serializers.Serializer):
    relation = serializers.CharField(
        max_length=20, help_text="与申请人关系：spouse、child、minor_child、parent、spouse_parent（以途径允许为限）"
    )
    real_name = serializers.CharField(max_length=60, help_text="随迁人员姓名")
    id_number = serializers.CharField(max_length=18, help_text="随迁人员身份证号码")
    lives_with_applicant = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="是否与申请人共同居住生活（途径要求时必填，如嘉兴 嘉政 一）",
    )


class MaterialUploadSerializer(serializers.Serializer):
    checklist_code = serializers.CharField(max_length=60, help_text="材料清单项代码，如 diploma")
    file = serializers.FileField(help_text="PDF、JPEG 或 PNG（按内容识别），不超过大小上限")


class VersionSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(
        min_value=1, required=False, help_text="客户端看到的办件版本号；办件已被改动时返回 409"
    )


class WithdrawSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="撤回原因")


# --- output ------------------------------------------------------------------------------------


class ApplicantSerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Applicant
        fields = ["real_name", "id_number_masked", "phone_masked", "created_at"]


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ApplicantBriefSerializer(serializers.Serializer):
    real_name = serializers.CharField()
    id_number_masked = serializers.CharField()


class ApplicationListSerializer(serializers.ModelSerializer):
    """One row of a list: ID number masked; working days left from the page-wide calendar lookup."""

    state_display = serializers.CharField(source="get_state_display")
    route = CodeNameSerializer()
    jurisdiction = CodeNameSerializer()
    applicant = ApplicantBriefSerializer()
    working_days_left = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "case_number", "state", "state_display", "version", "route", "jurisdiction", "applicant",
            "created_at", "submitted_at", "due_date", "working_days_left",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_working_days_left(self, application) -> int | None:
        """Working days to the promised date (negative: overdue); null while the clock does not run."""
        if not clock_running(application):
            return None
        return self.context.get("working_days_left", {}).get(application.due_date)


CLOCK_STATES = {
    ApplicationState.SUBMITTED, ApplicationState.ACCEPTED, ApplicationState.RESUBMITTED,
    ApplicationState.UNDER_REVIEW, ApplicationState.APPROVED,
}


def clock_running(application: Application) -> bool:
    return application.due_date is not None and application.state in CLOCK_STATES


class FamilyMemberSerializer(serializers.ModelSerializer):
    relation_display = serializers.CharField(source="get_relation_display")
    id_number_masked = serializers.CharField()

    class Meta:
        model = FamilyMember
        fields = ["id", "relation", "relation_display", "real_name", "id_number_masked"]


class MaterialSerializer(serializers.ModelSerializer):
    """A stored material: its name, type, size and review; the file only through ``download_url``."""

    checklist_name = serializers.SerializerMethodField()
    review_display = serializers.CharField(source="get_review_display")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = [
            "id", "checklist_code", "checklist_name", "original_name", "content_type", "size",
            "review", "review_display", "review_reason", "uploaded_at", "download_url",
        ]

    def get_checklist_name(self, material) -> str:
        names = self.context.get("checklist_names")
        if names is None:
            names = checklist_names(material.application)
        return names.get(material.checklist_code, material.checklist_code)

    def get_download_url(self, material) -> str:
        return reverse("api-material-file", kwargs={"material_id": material.pk})


def checklist(application: Application) -> list[dict]:
    return application_checklist(application)


def checklist_names(application: Application) -> dict[str, str]:
    return {item["code"]: item["name"] for item in checklist(application)}


class TimelineEntrySerializer(serializers.Serializer):
    """One step of the case's life, as applications.selectors.application_timeline gives it."""

    at = serializers.DateTimeField()
    transition = serializers.CharField()
    by = serializers.CharField(help_text="经办人")
    reason = serializers.CharField(allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="原状态（同办件 state 的取值）")
        fields["to"] = serializers.CharField(help_text="新状态（同办件 state 的取值）")
        fields["to_display"] = serializers.SerializerMethodField(help_text="新状态名称")
        return fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_to_display(self, entry) -> str:
        return str(ApplicationState(entry["to"]).label)


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField(default=True)


class RouteSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    citation = serializers.CharField()
    followers = serializers.ListField(child=serializers.CharField(), help_text="可随迁人员")
    promised_working_days = serializers.IntegerField()


class CorrectionItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class CorrectionSerializer(serializers.Serializer):
    issued_at = serializers.DateTimeField()
    items = CorrectionItemSerializer(many=True, help_text="一次性告知：须补正的全部材料")


class RegistrationSerializer(serializers.Serializer):
    registered_on = serializers.DateField(help_text="落户日期")
    address_type = serializers.CharField()
    address_type_display = serializers.CharField(source="get_address_type_display")
    address = serializers.CharField()


class ApplicationDetailSerializer(ApplicationListSerializer):
    """A case as its applicant (or a clerk of its jurisdiction) reads it."""

    route = RouteSerializer()
    material_checklist = serializers.SerializerMethodField()
    family_members = FamilyMemberSerializer(many=True)
    materials = MaterialSerializer(many=True)
    correction = serializers.SerializerMethodField(help_text="待答复的补正通知（一次性告知），没有则为 null")
    registration = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "clock_started_on", "decision_reason", "decision_condition", "facts", "eligibility",
            "route_snapshot", "material_checklist", "family_members", "materials", "correction",
            "registration", "timeline",
        ]

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_material_checklist(self, application):
        """The checklist frozen at submission, or the route's current one for a draft."""
        return ChecklistItemSerializer(checklist(application), many=True).data

    @extend_schema_field(CorrectionSerializer(allow_null=True))
    def get_correction(self, application):
        notice = next((n for n in application.correction_notices.all() if n.answered_at is None), None)
        return CorrectionSerializer(notice).data if notice is not None else None

    @extend_schema_field(RegistrationSerializer(allow_null=True))
    def get_registration(self, application):
        registration = getattr(application, "registration", None)
        return RegistrationSerializer(registration).data if registration is not None else None

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, application):
        return TimelineEntrySerializer(self.context.get("timeline", []), many=True).data


class NotificationSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="application.case_number", default=None, allow_null=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "case_number", "created_at", "read_at", "read"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


# --- errors (for the schema) -------------------------------------------------------------------


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorSerializer(serializers.Serializer):
    """400: ``{"<field>": ["message"], "details": [...]}``: the key is the field to fix."""

    details = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="如不符合的条件、缺少的材料"
    )
