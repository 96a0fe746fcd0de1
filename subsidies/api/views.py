"""The subsidies API (thin): record and revoke the dated facts of a settled person, read entitlements
and the progress of a payment run. Errors of the services: 400 naming the field, 409 when busy."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
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
    IdNumberSearchSerializer,
    PaymentRunSerializer,
    RevokeSerializer,
)
from subsidies.errors import RunBusyError, SubsidyError
from subsidies.models import Entitlement, FactEvent
from subsidies.selectors import (
    applicants_visible_to,
    entitlements_visible_to,
    fact_events_visible_to,
    payment_runs_visible_to,
)
from subsidies.services.facts import fact_event_record, fact_event_revoke

BAD_INPUT = OpenApiResponse(description='{"<字段>": ["说明"]}')
ID_IN_URL = "身份证号码不能放在网址中（会进入日志和浏览记录）：请用 POST {path}search/，在请求体中提交 id_number"


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


def _refuse_id_number_in_url(request) -> None:
    """The search by ID number moved to POST …/search/ (the number in the body): a URL that still
    carries one is refused, not silently answered with everything."""
    if "id_number" in request.query_params:
        raise ValidationError({"id_number": [ID_IN_URL.format(path=request.path)]})


def _facts_for(user):
    return (
        fact_events_visible_to(user).select_related("applicant", "employer", "recorded_by")
        .order_by("-occurred_on", "-id")
    )


def _entitlements_for(user):
    return (
        entitlements_visible_to(user).select_related("program", "applicant")
        .annotate(paid_periods=Count("payments"), paid_fen=Coalesce(Sum("payments__amount_fen"), 0))
        .order_by("id")
    )


def _page_of(serializer_class, name: str):
    """The schema of a page as Pages answers it (a POST is no list view to drf-spectacular)."""
    return inline_serializer(name=name, fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True),
    })


class IdNumberSearchMixin:
    """POST {"id_number": "…"}: the rows of that settler (if one may see them), paginated like the list."""

    def search(self, request, queryset):
        form = IdNumberSearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        number = form.validated_data["id_number"].strip().upper()
        page = self.paginate_queryset(queryset.filter(applicant__id_number=number))
        if page:  # a search that found the person's rows is a view of their data: recorded
            applicant = (
                applicants_visible_to(request.user).filter(id_number=number).values_list("pk", flat=True).first()
            )
            personal_data_access_record(request=request, applicant=applicant, kind=Kind.ID_SEARCH,
                                        detail=f"API {self.search_what}: {len(page)}")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FactEventListView(SubsidyErrorsMixin, ListAPIView):
    """GET: the facts recorded for settlers one may see (filter ``id_number``); POST: record one."""

    permission_classes = [ReadOrRecordFacts]
    serializer_class = FactEventSerializer
    pagination_class = Pages

    def get_queryset(self):
        return _facts_for(self.request.user)

    @extend_schema(responses={200: FactEventSerializer(many=True), 400: BAD_INPUT},
                   description="按身份证号查询请用 POST /api/v1/subsidies/facts/search/。")
    def get(self, request, *args, **kwargs):
        _refuse_id_number_in_url(request)
        return super().get(request, *args, **kwargs)

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
            employer_name=data["employer_name"], in_district=data["in_district"],
        )
        event = FactEvent.objects.select_related("applicant", "employer", "recorded_by").get(pk=event.pk)
        return Response(FactEventSerializer(event).data, status=status.HTTP_201_CREATED)


class FactEventSearchView(SubsidyErrorsMixin, IdNumberSearchMixin, GenericAPIView):
    search_what = "facts"
    """POST: the facts recorded for one settler, found by ID number (in the body, never in the URL)."""

    permission_classes = [ReadsSubsidies]
    serializer_class = FactEventSerializer
    pagination_class = Pages
    queryset = FactEvent.objects.none()  # for the schema; the rows come from _facts_for

    @extend_schema(request=IdNumberSearchSerializer, summary="按身份证号查询事实",
                   responses={200: _page_of(FactEventSerializer, "PaginatedFactEventSearchList"), 400: BAD_INPUT})
    def post(self, request):
        return self.search(request, _facts_for(request.user))


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
        return _entitlements_for(self.request.user)

    @extend_schema(responses={200: EntitlementSerializer(many=True), 400: BAD_INPUT},
                   description="按身份证号查询请用 POST /api/v1/subsidies/entitlements/search/。")
    def get(self, request, *args, **kwargs):
        _refuse_id_number_in_url(request)
        return super().get(request, *args, **kwargs)


class EntitlementSearchView(SubsidyErrorsMixin, IdNumberSearchMixin, GenericAPIView):
    search_what = "entitlements"
    """POST: one settler's entitlements, found by ID number (in the body, never in the URL)."""

    permission_classes = [ReadsSubsidies]
    serializer_class = EntitlementSerializer
    pagination_class = Pages
    queryset = Entitlement.objects.none()  # for the schema; the rows come from _entitlements_for

    @extend_schema(request=IdNumberSearchSerializer, summary="按身份证号查询补贴资格",
                   responses={200: _page_of(EntitlementSerializer, "PaginatedEntitlementSearchList"),
                              400: BAD_INPUT})
    def post(self, request):
        return self.search(request, _entitlements_for(request.user))


class PaymentRunDetailView(SubsidyErrorsMixin, RetrieveAPIView):
    """GET: a payment run's progress."""

    permission_classes = [ReadsSubsidies]
    serializer_class = PaymentRunSerializer
    lookup_url_kwarg = "run_id"

    def get_queryset(self):
        return payment_runs_visible_to(self.request.user).select_related("program")
