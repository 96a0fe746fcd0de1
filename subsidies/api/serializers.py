from rest_framework import serializers

from subsidies.models import Entitlement, FactEvent, PaymentRun
from subsidies.rules import FACT_KINDS


class FactEventSerializer(serializers.ModelSerializer):
    settler = serializers.CharField(source="applicant.id_number_masked")
    kind_label = serializers.CharField(source="get_kind_display")
    employer_uscc = serializers.CharField(source="employer.uscc", default=None)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)
    revoked = serializers.SerializerMethodField()

    class Meta:
        model = FactEvent
        fields = ["id", "settler", "kind", "kind_label", "occurred_on", "employer_uscc", "in_district", "note",
                  "source", "recorded_by", "recorded_at", "revoked", "revoke_reason"]

    def get_revoked(self, obj) -> bool:
        return obj.revoked_at is not None


class FactEventCreateSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18, help_text="落户人员的身份证号")
    kind = serializers.ChoiceField(choices=list(FACT_KINDS.items()))
    occurred_on = serializers.DateField()
    employer_uscc = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    employer_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    in_district = serializers.BooleanField(required=False, default=True, help_text="新就业的用人单位在本区")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IdNumberSearchSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        max_length=18, help_text="落户人员的身份证号（精确匹配）。放在请求体中：不进网址，也就不进访问日志",
    )


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class EntitlementSerializer(serializers.ModelSerializer):
    program = serializers.CharField(source="program.code")
    settler = serializers.CharField(source="applicant.id_number_masked")
    paid_periods = serializers.IntegerField()
    paid_fen = serializers.IntegerField()

    class Meta:
        model = Entitlement
        fields = ["id", "program", "settler", "beneficiary", "family", "period_kind", "amount_fen", "max_periods",
                  "starts_on", "stops_on", "stop_reason", "paid_periods", "paid_fen"]


class PaymentRunSerializer(serializers.ModelSerializer):
    program = serializers.CharField(source="program.code")
    percent = serializers.IntegerField()

    class Meta:
        model = PaymentRun
        fields = ["id", "program", "period", "reference_date", "status", "percent", "total", "processed", "inserted",
                  "chunks", "attempts", "created_at", "started_at", "heartbeat_at", "finished_at"]
