from rest_framework import serializers


class EligibilityRequestSerializer(serializers.Serializer):
    # Not trimmed: the engine decides what a valid code or date is, exactly as for the command.
    jurisdiction = serializers.CharField(help_text="行政区划代码，如 sx.kq", trim_whitespace=False)
    date = serializers.CharField(help_text="评估日期 YYYY-MM-DD", trim_whitespace=False)
    facts = serializers.JSONField(help_text="申报事实，见 facts.schema.json")


class ConditionResultSerializer(serializers.Serializer):
    label = serializers.CharField()
    ok = serializers.BooleanField()


class RouteResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    citation = serializers.CharField()
    eligible = serializers.BooleanField()
    followers = serializers.ListField(child=serializers.CharField())
    conditions = ConditionResultSerializer(many=True)


class EligibilityResultSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField()
    date = serializers.DateField()
    routes = RouteResultSerializer(many=True)
