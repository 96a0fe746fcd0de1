from rest_framework import serializers


class EligibilityRequestSerializer(serializers.Serializer):
    # Not trimmed: the engine decides what a valid code or date is, exactly as for the command.
    jurisdiction = serializers.CharField(help_text="行政区划代码，如 sx.kq", trim_whitespace=False)
    date = serializers.CharField(help_text="评估日期 YYYY-MM-DD", trim_whitespace=False)
    facts = serializers.JSONField(help_text="申报事实，见 facts.schema.json")


class ConditionResultSerializer(serializers.Serializer):
    label = serializers.CharField()
    ok = serializers.BooleanField()


class ProgramResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    entitled = serializers.BooleanField()
    conditions = ConditionResultSerializer(many=True)
    amount_fen = serializers.IntegerField(help_text="每期金额（分）")
    period = serializers.ChoiceField(choices=["month", "year", "once"])
    max_periods = serializers.IntegerField()


class RouteResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    citation = serializers.CharField()
    eligible = serializers.BooleanField()
    followers = serializers.ListField(child=serializers.CharField())
    conditions = ConditionResultSerializer(many=True)
    programs = ProgramResultSerializer(
        many=True, help_text="落户后可享受的补贴（仅对符合条件的途径计算；不符合的为空列表）"
    )


class EligibilityResultSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField()
    date = serializers.DateField()
    routes = RouteResultSerializer(many=True)
