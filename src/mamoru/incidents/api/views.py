"""REST API of incident reports: one class per URL, explicit serializers, the gate first.

Every object is looked up through a selector with the request's principal, so a report
of another organisation, or a delivery addressed elsewhere, answers 404 as if it did not
exist. Services check the principal again and answer 403 for a missing permission.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.api.schema import ErrorOut, ValidationErrorOut
from mamoru.incidents import selectors, services
from mamoru.incidents.api import present
from mamoru.incidents.api.content_serializers import ContentSerializer, content_input
from mamoru.incidents.api.serializers import (
    ChangeOut,
    DeliveryOut,
    DiffIn,
    InboxDetailOut,
    InboxFilterIn,
    InboxItemOut,
    MessageIn,
    MessageOut,
    NotificationOut,
    ReopenIn,
    ReportOut,
    ReportSummaryOut,
    StatisticsOut,
    SubmissionOut,
    SubmitIn,
)
from mamoru.incidents.models import IncidentReport
from mamoru.orgs.principal import Principal, principal_of

T = TypeVar("T")

PAGING = frozenset({"limit", "offset"})
PUBLIC_ID = OpenApiParameter("public_id", UUID, OpenApiParameter.PATH, description="報告ID（UUID）")
RECIPIENT = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="宛先の団体コード（例: PPC、130001）"
)


BAD_REQUEST = {400: OpenApiResponse(ValidationErrorOut, description="入力に誤りがあります")}
STATE = {409: OpenApiResponse(ErrorOut, description="報告の状態ではこの操作はできません")}
CONTENT = {
    422: OpenApiResponse(
        ValidationErrorOut, description="内容に矛盾があります（例: 発生日時が認知日時より後）"
    )
}


def _own(principal: Principal, public_id: UUID) -> IncidentReport:
    return selectors.report_get(principal=principal, public_id=public_id)


def _report_response(principal: Principal, report: IncidentReport, code: int = 200) -> Response:
    data = present.report_out(
        report,
        list(selectors.submissions_of(principal=principal, report=report)),
        list(selectors.report_deliveries(principal=principal, report=report)),
    )
    return Response(ReportOut(data).data, status=code)


class ReportListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_of(ReportSummaryOut),
        summary="自団体のインシデント報告",
    )
    def get(self, request: Request) -> Response:
        reports = selectors.reports_own(principal=principal_of(request))
        return paginated(
            request,
            self,
            reports,
            lambda page: (
                ReportSummaryOut([present.report_summary_out(r) for r in page], many=True).data
            ),
        )

    @extend_schema(
        request=ContentSerializer,
        responses={201: ReportOut, **BAD_REQUEST, **CONTENT},
        summary="報告の下書きを作成",
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        payload = ContentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_create(
            principal=principal, content=content_input(payload.validated_data)
        )
        return _report_response(principal, report, status.HTTP_201_CREATED)


class ReportDetailApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID], responses=ReportOut, summary="報告（提出版と送付を含む）"
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        return _report_response(principal, _own(principal, public_id))

    @extend_schema(
        parameters=[PUBLIC_ID],
        request=ContentSerializer,
        responses={200: ReportOut, **BAD_REQUEST, **STATE, **CONTENT},
        summary="下書きを更新",
    )
    def put(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        report = _own(principal, public_id)
        payload = ContentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_update_draft(
            report=report, principal=principal, content=content_input(payload.validated_data)
        )
        return _report_response(principal, report)


class ReportRequestApprovalApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID],
        request=None,
        responses={200: ReportOut, **STATE},
        summary="承認を依頼",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        report = _own(principal, public_id)
        report = services.report_request_approval(report=report, principal=principal)
        return _report_response(principal, report)


class ReportSubmitApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID],
        request=SubmitIn,
        responses={201: SubmissionOut, **BAD_REQUEST, **STATE, **CONTENT},
        summary="承認して提出（CISO又は委任を受けた者）",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        report = _own(principal, public_id)
        payload = SubmitIn(data=request.data)
        payload.is_valid(raise_exception=True)
        submission = services.report_approve_and_submit(
            report=report, principal=principal, final=payload.validated_data["final"]
        )
        return Response(
            SubmissionOut(present.submission_out(submission)).data, status=status.HTTP_201_CREATED
        )


class ReportReopenApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID],
        request=ReopenIn,
        responses={200: ReportOut, **BAD_REQUEST, **STATE},
        summary="完了した報告を再開",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        report = _own(principal, public_id)
        payload = ReopenIn(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_reopen(
            report=report, principal=principal, reason=payload.validated_data["reason"]
        )
        return _report_response(principal, report)


class ReportDiffApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID, DiffIn],
        responses=ChangeOut(many=True),
        summary="版の間の変更（見られる範囲で）",
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        # The gate before the input: an outsider learns nothing, not even what is missing.
        (selectors.report_visible(principal=principal, public_id=public_id))
        query = DiffIn(data=request.query_params.dict())  # not QueryDict: "" is not "absent"
        query.is_valid(raise_exception=True)
        changes = selectors.submission_diff(
            principal=principal,
            public_id=public_id,
            from_version=query.validated_data["from_version"],
            to_version=query.validated_data["to_version"],
        )
        return Response(ChangeOut([c.__dict__ for c in changes], many=True).data)


class ThreadApi(APIView):
    """The thread between the reporter and one recipient: both sides read and write."""

    @extend_schema(
        parameters=[PUBLIC_ID, RECIPIENT, *PAGE_PARAMETERS],
        responses=page_of(MessageOut),
        summary="連絡の一覧",
    )
    def get(self, request: Request, public_id: UUID, code: str) -> Response:
        principal = principal_of(request)
        messages = selectors.thread_messages(
            principal=principal, public_id=public_id, recipient_code=code
        )
        return paginated(request, self, messages, lambda page: MessageOut(page, many=True).data)

    @extend_schema(
        parameters=[PUBLIC_ID, RECIPIENT],
        request=MessageIn,
        responses={201: MessageOut, **BAD_REQUEST},
        summary="連絡を送る",
    )
    def post(self, request: Request, public_id: UUID, code: str) -> Response:
        principal = principal_of(request)
        report = selectors.report_visible(principal=principal, public_id=public_id)
        recipient = selectors.thread_recipient(
            principal=principal, report=report, recipient_code=code
        )
        payload = MessageIn(data=request.data)
        payload.is_valid(raise_exception=True)
        message = services.message_post(
            report=report,
            recipient=recipient,
            principal=principal,
            body=payload.validated_data["body"],
        )
        return Response(MessageOut(message).data, status=status.HTTP_201_CREATED)


class InboxListApi(APIView):
    @extend_schema(
        parameters=[InboxFilterIn, *PAGE_PARAMETERS],
        responses=page_of(InboxItemOut),
        summary="受信した報告",
    )
    def get(self, request: Request) -> Response:
        principal = principal_of(request)
        filters = {k: v for k, v in request.query_params.dict().items() if k not in PAGING}
        query = InboxFilterIn(data=filters)  # not QueryDict: "" is not "absent"
        query.is_valid(raise_exception=True)
        chosen = dict(query.validated_data)
        if chosen.pop("unacknowledged") == "true":
            chosen.setdefault("status", "unacknowledged")
        deliveries = selectors.inbox_filtered(
            principal=principal, filters=selectors.InboxFilter(**chosen)
        )
        return paginated(
            request,
            self,
            deliveries,
            lambda page: (
                InboxItemOut(
                    [
                        present.inbox_item_out(i)
                        for i in selectors.inbox_items(principal=principal, deliveries=page)
                    ],
                    many=True,
                ).data
            ),
        )


def _inbox_detail(principal: Principal, pk: int) -> dict[str, Any]:
    item = selectors.inbox_item_get(principal=principal, pk=pk)
    versions = sorted(
        selectors.inbox(principal=principal)
        .filter(report=item.delivery.report)
        .values_list("submission__version", flat=True)
    )
    return present.inbox_detail_out(item, versions)


class InboxDetailApi(APIView):
    @extend_schema(responses=InboxDetailOut, summary="受信した報告の内容（開示された項目だけ）")
    def get(self, request: Request, pk: int) -> Response:
        return Response(InboxDetailOut(_inbox_detail(principal_of(request), pk)).data)


class InboxAcknowledgeApi(APIView):
    @extend_schema(request=None, responses=InboxDetailOut, summary="受領を確認")
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        item = selectors.inbox_item_get(principal=principal, pk=pk)
        (services.delivery_acknowledge(delivery=item.delivery, principal=principal))
        return Response(InboxDetailOut(_inbox_detail(principal, pk)).data)


class OverdueApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_of(DeliveryOut),
        summary="期限を過ぎた報告（自団体の報告と受信した報告）",
    )
    def get(self, request: Request) -> Response:
        deliveries = selectors.overdue_listed(principal=principal_of(request))
        return paginated(
            request,
            self,
            deliveries,
            lambda page: DeliveryOut([present.delivery_out(d) for d in page], many=True).data,
        )


class StatisticsApi(APIView):
    @extend_schema(
        responses=StatisticsOut,
        summary="受信した報告の統計（団体名なし、5未満は秘匿）",
    )
    def get(self, request: Request) -> Response:
        stats = selectors.incident_statistics(principal=principal_of(request))
        data = {
            "total": stats.total,
            **{name: present.table_out(table) for name, table in stats.tables.items()},
            "serious_cyber_attacks": stats.serious_cyber_attacks,
            "serious_cyber_attacks_known": stats.serious_cyber_attacks_known,
        }
        return Response(StatisticsOut(data).data)


class NotificationListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=page_of(NotificationOut), summary="自分への通知"
    )
    def get(self, request: Request) -> Response:
        notifications = selectors.notifications_listed(principal=principal_of(request))
        return paginated(
            request, self, notifications, lambda page: NotificationOut(page, many=True).data
        )


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationOut, summary="通知を既読にする")
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        notification = selectors.notification_get(principal=principal, pk=pk)
        notification = services.notification_mark_read(
            notification=notification, principal=principal
        )
        return Response(NotificationOut(notification).data)
