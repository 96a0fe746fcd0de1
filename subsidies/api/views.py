"""The subsidies API (thin): record and revoke the dated facts of a settled person, read entitlements
and the progress of a payment run. Errors of the services: 400 naming the field, 409 when busy."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from applications.services.personal_data import Kind, personal_data_access_record
from subsidies.api.permissions import ReadOrRecordFacts, ReadsSubsidies
from subsidies.api.serializers import (
    EntitlementSerializer,
    FactEventCreateSerializer,
    FactEventSerializer,
    PaymentRunSerializer,
    RevokeSerializer,
)
from subsidies.errors import RunBusyError, SubsidyError
from subsidies.models import FactEvent
from subsidies.selectors import (
    applicants_visible_to,
    entitlements_visible_to,
    fact_events_visible_to,
    payment_runs_visible_to,
)
from subsidies.services.facts import fact_event_record, fact_event_revoke

ID_NUMBER = OpenApiParameter("id_number", str, description="落户人员的身份证号（精确匹配）")


def _exception_handler(exc, context):
    if isinstance(exc, SubsidyError):
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RunBusyError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class SubsidyErrorsMixin:
    def get_exception_handler(self):
        return _exception_handler


class Pages(PageNumberPagination):
    page_size = 50


def _id_number(request) -> str:
    return (request.query_params.get("id_number") or "").strip().upper()


def _record_id_search(request, response, what: str) -> None:
    """A search by a full ID number that found the person's rows is a view of their data: recorded."""
    number = _id_number(request)
    rows = response.data.get("results") if response.status_code == 200 else None
    if not number or not rows:
        return
    applicant = applicants_visible_to(request.user).filter(id_number=number).values_list("pk", flat=True).first()
    personal_data_access_record(request=request, applicant=applicant, kind=Kind.ID_SEARCH,
                                detail=f"API {what}: {len(rows)}")


class FactEventListView(SubsidyErrorsMixin, ListAPIView):
    """GET: the facts recorded for settlers one may see (filter ``id_number``); POST: record one."""

    permission_classes = [ReadOrRecordFacts]
    serializer_class = FactEventSerializer
    pagination_class = Pages

    def get_queryset(self):
        queryset = fact_events_visible_to(self.request.user).select_related("applicant", "employer", "recorded_by")
        if number := _id_number(self.request):
            queryset = queryset.filter(applicant__id_number=number)
        return queryset.order_by("-occurred_on", "-id")

    @extend_schema(parameters=[ID_NUMBER])
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        _record_id_search(request, response, "facts")
        return response

    @extend_schema(request=FactEventCreateSerializer, responses={201: FactEventSerializer})
    def post(self, request):
        form = FactEventCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        applicant = applicants_visible_to(request.user).filter(id_number=data["id_number"].strip().upper()).first()
        if applicant is None:
            raise ValidationError({"id_number": ["没有您可查看的、使用该身份证号的落户人员"]})
        event, _ = fact_event_record(
            applicant_id=applicant.pk, kind=data["kind"], occurred_on=data["occurred_on"], actor=request.user,
            source=FactEvent.Source.API, note=data["note"], employer_uscc=data["employer_uscc"],
            employer_name=data["employer_name"],
        )
        event = FactEvent.objects.select_related("applicant", "employer", "recorded_by").get(pk=event.pk)
        return Response(FactEventSerializer(event).data, status=status.HTTP_201_CREATED)


class FactEventRevokeView(SubsidyErrorsMixin, APIView):
    """POST: revoke a fact recorded in error, with the reason."""

    permission_classes = [ReadOrRecordFacts]

    @extend_schema(request=RevokeSerializer, responses={200: FactEventSerializer})
    def post(self, request, event_id: int):
        get_object_or_404(fact_events_visible_to(request.user), pk=event_id)
        form = RevokeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fact_event_revoke(event_id=event_id, actor=request.user, reason=form.validated_data["reason"])
        event = FactEvent.objects.select_related("applicant", "employer", "recorded_by").get(pk=event_id)
        return Response(FactEventSerializer(event).data)


class EntitlementListView(SubsidyErrorsMixin, ListAPIView):
    """GET: entitlements of the settlers one may see (filter ``id_number``), with what has been paid."""

    permission_classes = [ReadsSubsidies]
    serializer_class = EntitlementSerializer
    pagination_class = Pages

    def get_queryset(self):
        queryset = (
            entitlements_visible_to(self.request.user).select_related("program", "applicant")
            .annotate(paid_periods=Count("payments"), paid_fen=Coalesce(Sum("payments__amount_fen"), 0))
        )
        if number := _id_number(self.request):
            queryset = queryset.filter(applicant__id_number=number)
        return queryset.order_by("id")

    @extend_schema(parameters=[ID_NUMBER])
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        _record_id_search(request, response, "entitlements")
        return response


class PaymentRunDetailView(SubsidyErrorsMixin, RetrieveAPIView):
    """GET: a payment run's progress."""

    permission_classes = [ReadsSubsidies]
    serializer_class = PaymentRunSerializer
    lookup_url_kwarg = "run_id"

    def get_queryset(self):
        return payment_runs_visible_to(self.request.user).select_related("program")
