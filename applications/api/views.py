"""The applicant API: thin views that check the form of the input, find the case through
applications_visible_to (what one may not see does not exist: 404), call a service and serialize."""

from __future__ import annotations

from pathlib import PurePath

from django.core.paginator import Paginator as DjangoPaginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api.exceptions import ServiceErrorsMixin
from applications.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from applications.api.idempotency import run_once
from applications.api.permissions import (
    IsAccountHolder,
    IsApplicant,
    IsApplicantOrCaseStaff,
    ReadByCaseStaffWriteByApplicant,
    is_applicant,
)
from applications.api.serializers import (
    ApplicantCreateSerializer,
    ApplicantSerializer,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationFilterSerializer,
    ApplicationListSerializer,
    DetailSerializer,
    FamilyMemberCreateSerializer,
    FamilyMemberSerializer,
    FieldErrorSerializer,
    MaterialSerializer,
    MaterialUploadSerializer,
    NotificationSerializer,
    TimelineEntrySerializer,
    VersionSerializer,
    WithdrawSerializer,
    checklist_names,
    clock_running,
)
from applications.models import Application, Material, Notification
from applications.selectors import application_timeline, applications_visible_to
from applications.services.applicants import applicant_create
from applications.services.drafts import application_create, family_member_add, material_add
from applications.services.notifications import notification_mark_read
from applications.services.personal_data import Kind, personal_data_access_record
from applications.services.transitions import application_resubmit, application_submit, application_withdraw
from hukou.api.parsers import BoundedJSONParser
from policies.services.calendar import working_days_left

# --- schema helpers ---------------------------------------------------------------------------

BAD_INPUT = OpenApiResponse(
    FieldErrorSerializer, description='输入有误：{"<字段>": ["说明"], "details": [...]}，未作任何改动'
)
NOT_ALLOWED = OpenApiResponse(DetailSerializer, description="未登录，或该角色无权使用此接口")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="不存在，或不属于您可见的范围")
CONFLICT = OpenApiResponse(DetailSerializer, description="办件已被改动或当前状态不允许此操作，请刷新后重试")
CASE_NUMBER = OpenApiParameter("case_number", OpenApiTypes.STR, OpenApiParameter.PATH, description="办件编号")
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="每次操作一个新的随机值（如 UUID）；重复请求沿用同一值只办理一次并返回首次结果",
)
OPTIONAL_IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="可选：带上后重复请求只办理一次并返回首次结果",
)
REPLAY_MISMATCH = OpenApiResponse(DetailSerializer, description="该 Idempotency-Key 已用于另一请求")


class CappedCountPaginator(DjangoPaginator):
    """Counts at most COUNT_CAP rows: a clerk's list over a million cases must not count them all."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.COUNT_CAP].count()


class Pagination(PageNumberPagination):
    """Pages of 20 (page_size up to 100), newest first. ``count`` stops at 10 000 (``count_capped``);
    pages beyond that are not served: narrow the list with ``?state=`` instead."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.count >= self.page.paginator.COUNT_CAP
        return response

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["properties"]["count_capped"] = {
            "type": "boolean", "description": "为 true 时 count 只计到 10000（实际更多）",
        }
        return shape


def _detail_queryset(user):
    return applications_visible_to(user).select_related(
        "route__document", "jurisdiction", "applicant", "registration"
    ).prefetch_related("family_members", "materials", "correction_notices")


def _visible_case(request, case_number: str) -> Application:
    """The case with this number if the caller may see it (their own, or their jurisdiction's)."""
    return get_object_or_404(applications_visible_to(request.user).select_related("route"), case_number=case_number)


def _detail_response(request, case_number: str, status_code: int = status.HTTP_200_OK) -> Response:
    application = get_object_or_404(_detail_queryset(request.user), case_number=case_number)
    today = timezone.localdate()
    context = {
        "request": request,
        "timeline": application_timeline(application),
        "checklist_names": checklist_names(application),
        "working_days_left": working_days_left([application.due_date], today) if clock_running(application) else {},
    }
    return Response(ApplicationDetailSerializer(application, context=context).data, status=status_code)


class CaseAPIView(ServiceErrorsMixin, APIView):
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]


# --- applicant profile ------------------------------------------------------------------------


class ApplicantView(CaseAPIView):
    """My applicant profile (申请人信息): one per account, needed before filing."""

    permission_classes = [IsAuthenticated, IsAccountHolder]

    @extend_schema(summary="查看我的申请人信息", responses={200: ApplicantSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request):
        applicant = getattr(request.user, "applicant", None)
        if applicant is None:
            raise Http404("尚未登记申请人信息")
        return Response(ApplicantSerializer(applicant).data)

    @extend_schema(
        summary="登记我的申请人信息",
        request=ApplicantCreateSerializer,
        responses={201: ApplicantSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def post(self, request):
        serializer = ApplicantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        applicant = applicant_create(user=request.user, **serializer.validated_data)
        return Response(ApplicantSerializer(applicant).data, status=status.HTTP_201_CREATED)


# --- cases ------------------------------------------------------------------------------------


class ApplicationListView(CaseAPIView):
    """My cases (an applicant), or the cases of my jurisdictions (case staff); a new draft."""

    permission_classes = [IsAuthenticated, ReadByCaseStaffWriteByApplicant]
    pagination_class = Pagination

    @extend_schema(
        summary="办件列表",
        description="申请人：本人的办件；受理、审批、户籍、审计人员：所辖区域的办件。身份证号码脱敏。",
        parameters=[ApplicationFilterSerializer],
        responses={200: ApplicationListSerializer(many=True), 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def get(self, request):
        filters = ApplicationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = (
            applications_visible_to(request.user)
            .select_related("route", "jurisdiction", "applicant")
            .order_by("-id")  # newest first, along the primary key: no sort of a jurisdiction's million rows
        )
        if is_applicant(request.user):
            # the same rows as the selector's join on the user; a known applicant id lets PostgreSQL use
            # the (applicant, created_at) index instead of scanning the table
            queryset = queryset.filter(applicant_id=request.user.applicant.pk)
        if "state" in filters.validated_data:
            queryset = queryset.filter(state=filters.validated_data["state"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        context = {
            "request": request,
            "working_days_left": working_days_left(
                [a.due_date for a in page if clock_running(a)], timezone.localdate()
            ),
        }
        return paginator.get_paginated_response(ApplicationListSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="新建申请草稿",
        request=ApplicationCreateSerializer,
        responses={201: ApplicationDetailSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def post(self, request):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = application_create(
            applicant=request.user.applicant, route_code=data["route"], jurisdiction_code=data["jurisdiction"],
            facts=data["facts"],
        )
        return _detail_response(request, application.case_number, status.HTTP_201_CREATED)


class ApplicationDetailView(CaseAPIView):
    permission_classes = [IsAuthenticated, IsApplicantOrCaseStaff]

    @extend_schema(
        summary="办件详情",
        description="状态、承诺办结日期、剩余工作日、途径快照、资格审查结果、随迁人员（身份证脱敏）、"
                    "材料（不含存储路径）、待补正事项和办理经过。",
        parameters=[CASE_NUMBER],
        responses={200: ApplicationDetailSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def get(self, request, case_number: str):
        response = _detail_response(request, case_number)
        if request.user.is_staff:
            application = Application.objects.only("pk", "applicant_id").get(case_number=case_number)
            personal_data_access_record(request=request, applicant=application.applicant_id, kind=Kind.CASE_PAGE,
                                        obj=application, detail="API")
        return response


class ApplicationTimelineView(CaseAPIView):
    permission_classes = [IsAuthenticated, IsApplicantOrCaseStaff]

    @extend_schema(
        summary="办理经过",
        parameters=[CASE_NUMBER],
        responses={200: TimelineEntrySerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def get(self, request, case_number: str):
        application = _visible_case(request, case_number)
        return Response(TimelineEntrySerializer(application_timeline(application), many=True).data)


class FamilyMemberCreateView(CaseAPIView):
    permission_classes = [IsAuthenticated, IsApplicant]

    @extend_schema(
        summary="添加随迁人员",
        parameters=[CASE_NUMBER],
        request=FamilyMemberCreateSerializer,
        responses={201: FamilyMemberSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request, case_number: str):
        application = _visible_case(request, case_number)
        serializer = FamilyMemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = family_member_add(application=application, **serializer.validated_data)
        return Response(FamilyMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class MaterialUploadView(CaseAPIView):
    permission_classes = [IsAuthenticated, IsApplicant]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="上传材料",
        description="multipart/form-data：checklist_code 与 file。草稿和待补正状态可上传。",
        parameters=[CASE_NUMBER],
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={201: MaterialSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request, case_number: str):
        application = _visible_case(request, case_number)
        serializer = MaterialUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        material = material_add(
            application=application, checklist_code=serializer.validated_data["checklist_code"],
            upload=serializer.validated_data["file"],
        )
        context = {"checklist_names": checklist_names(application)}
        return Response(MaterialSerializer(material, context=context).data, status=status.HTTP_201_CREATED)


class _TransitionView(CaseAPIView):
    """A transition the applicant fires on their own case; the response is the case afterwards."""

    permission_classes = [IsAuthenticated, IsApplicant]
    input_serializer = VersionSerializer
    idempotency_required = False

    def fire(self, application: Application, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, case_number: str):
        application = _visible_case(request, case_number)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def action() -> Response:
            self.fire(application, serializer.validated_data)
            return _detail_response(request, case_number)

        return run_once(request, action, required=self.idempotency_required)


TRANSITION_RESPONSES = {
    200: ApplicationDetailSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT,
    422: REPLAY_MISMATCH,
}


class ApplicationSubmitView(_TransitionView):
    idempotency_required = True

    def fire(self, application, data):
        application_submit(
            application_id=application.pk, actor=self.request.user, expected_version=data.get("expected_version")
        )

    @extend_schema(
        summary="提交申请",
        description="按提交当日政策复核资格并冻结，开始计算承诺时限。须带 Idempotency-Key：同一值重复提交只办理一次。",
        parameters=[CASE_NUMBER, IDEMPOTENCY_KEY],
        request=VersionSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request, case_number: str):
        return super().post(request, case_number)


class ApplicationResubmitView(_TransitionView):
    def fire(self, application, data):
        application_resubmit(
            application_id=application.pk, actor=self.request.user, expected_version=data.get("expected_version")
        )

    @extend_schema(
        summary="答复补正（重新提交）",
        description="补正通知所列材料全部重新上传后答复一次；承诺时限自答复之日重新计算。",
        parameters=[CASE_NUMBER, OPTIONAL_IDEMPOTENCY_KEY],
        request=VersionSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request, case_number: str):
        return super().post(request, case_number)


class ApplicationWithdrawView(_TransitionView):
    input_serializer = WithdrawSerializer

    def fire(self, application, data):
        application_withdraw(
            application_id=application.pk, actor=self.request.user, reason=data.get("reason", ""),
            expected_version=data.get("expected_version"),
        )

    @extend_schema(
        summary="撤回申请",
        parameters=[CASE_NUMBER, OPTIONAL_IDEMPOTENCY_KEY],
        request=WithdrawSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request, case_number: str):
        return super().post(request, case_number)


# --- files ------------------------------------------------------------------------------------


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """A file download answers whatever the client accepts (errors still come back as JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MaterialFileView(CaseAPIView):
    permission_classes = [IsAuthenticated, IsApplicantOrCaseStaff]
    content_negotiation_class = IgnoreClientContentNegotiation

    @extend_schema(
        summary="下载材料文件",
        parameters=[OpenApiParameter("material_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="材料编号")],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="文件（附件下载）"),
            403: NOT_ALLOWED, 404: NOT_FOUND,
        },
    )
    def get(self, request, material_id: int):
        material = get_object_or_404(
            Material.objects.select_related("application").filter(
                application__in=applications_visible_to(request.user)
            ),
            pk=material_id,
        )
        try:
            handle = material.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在") from None
        personal_data_access_record(
            request=request, applicant=material.application.applicant_id, kind=Kind.MATERIAL_FILE, obj=material,
            detail=f"{material.application.case_number} {material.checklist_code}",
        )
        filename = PurePath(material.original_name.replace("\\", "/")).name or f"material-{material.pk}"
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=material.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# --- notifications ----------------------------------------------------------------------------


class NotificationListView(CaseAPIView):
    """My in-app messages (站内消息), newest first."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    @extend_schema(summary="我的消息", responses={200: NotificationSerializer(many=True), 403: NOT_ALLOWED})
    def get(self, request):
        queryset = (
            Notification.objects.filter(user=request.user)
            .select_related("application")
            .order_by("-id")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadView(CaseAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="标记消息已读",
        parameters=[OpenApiParameter("notification_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={200: NotificationSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request, notification_id: int):
        notification = get_object_or_404(
            Notification.objects.filter(user=request.user).select_related("application"), pk=notification_id
        )
        return Response(NotificationSerializer(notification_mark_read(notification=notification)).data)
