from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hukou.api.throttling import ClientScopedRateThrottle
from policies.api.serializers import EligibilityRequestSerializer, EligibilityResultSerializer
from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError


class EligibilityView(APIView):
    """Self-check: which settlement routes in force at a place and date the declared facts satisfy.

    Public (anyone may check before applying), throttled, and writes nothing.
    """

    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "eligibility"

    @extend_schema(
        request=EligibilityRequestSerializer,
        responses={
            200: EligibilityResultSerializer,
            400: OpenApiResponse(description='{"<field>": ["<message>"]}, e.g. {"facts.birth_date": [...]}'),
        },
        summary="落户条件自查",
    )
    def post(self, request):
        serializer = EligibilityRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            result = eligibility_evaluate(facts=data["facts"], jurisdiction=data["jurisdiction"], on=data["date"])
        except EligibilityInputError as error:
            return Response({error.field: [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)
