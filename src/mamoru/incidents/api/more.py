"""The incidents API beyond drafting and submitting: exports, the recipients of a report
(and the reports made to them outside the platform), the notice to individuals, bulk
acknowledgement and deputy approvers. One class per operation; the gate is the selectors'
(the same ones the pages call), and the services check the principal again.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.schema import ErrorOut, ValidationErrorOut
from mamoru.core.access import Permission
from mamoru.core.exceptions import Unprocessable
from mamoru.incidents import selectors, services
from mamoru.incidents.api import present
from mamoru.incidents.api.serializers import (
    AcknowledgeIn,
    AcknowledgeOut,
    DeputyIn,
    DeputyOut,
    NoticeIn,
    NoticeOut,
    OutsideIn,
    OutsideOut,
    RecipientOut,
)
from mamoru.incidents.exports import EXPORTERS, ExportError, PdfUnavailableError
from mamoru.incidents.selectors import Export
from mamoru.orgs.principal import principal_of
from mamoru.orgs.selectors import people_acting_in

PUBLIC_ID = OpenApiParameter("public_id", UUID, OpenApiParameter.PATH, description="報告ID（UUID）")
FORMAT = OpenApiParameter(
    "fmt",
    {"type": "string", "enum": sorted(EXPORTERS)},
    OpenApiParameter.PATH,
    description="stix（STIX 2.1）、pdf、csv、ppc（個人情報保護委員会の報告項目）、"
    "common（ランサムウェア・DDoS攻撃の共通様式）",
)
FILE = {
    (200, media): OpenApiResponse(OpenApiTypes.BINARY, description="書き出したファイル")
    for media in sorted({e.media_type.split(";")[0] for e in EXPORTERS.values()})
}
UNAVAILABLE = {503: OpenApiResponse(ErrorOut, description="サーバーでPDFを作れません")}
NOT_FOUND = {404: OpenApiResponse(ErrorOut, description="見つかりません")}
REFUSED = {
    422: OpenApiResponse(
        ValidationErrorOut, description="受け付けられない内容です（例: 先の日時、権限のない人）"
    )
}


def _file(make: Callable[[], Export]) -> HttpResponse | Response:
    try:
        export = make()
    except PdfUnavailableError:
        return Response(
            {"detail": "PDFを作成できません（サーバーにフォントがありません）。"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    except ExportError as error:  # e.g. the common form of a report neither ransomware nor DDoS
        return Response({"detail": str(error)}, status=status.HTTP_404_NOT_FOUND)
    response = HttpResponse(export.body, content_type=export.media_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ReportExportApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID, FORMAT],
        responses={**FILE, **NOT_FOUND, **UNAVAILABLE},
        summary="自団体の報告の版を書き出す（すべての項目、監査ログに形式を記録）",
    )
    def get(
        self, request: Request, public_id: UUID, version: int, fmt: str
    ) -> HttpResponse | Response:
        principal = principal_of(request)
        return _file(
            lambda: selectors.report_export(
                principal=principal, public_id=public_id, version=version, fmt=fmt
            )
        )


class InboxExportApi(APIView):
    @extend_schema(
        parameters=[FORMAT],
        responses={**FILE, **NOT_FOUND, **UNAVAILABLE},
        summary="受信した報告を書き出す（開示された項目だけ、監査ログに形式を記録）",
    )
    def get(self, request: Request, pk: int, fmt: str) -> HttpResponse | Response:
        principal = principal_of(request)
        return _file(lambda: selectors.inbox_export(principal=principal, pk=pk, fmt=fmt))


class ReportRecipientsApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID],
        responses=RecipientOut(many=True),
        summary="宛先ごとの状況（mamoru を使っていない宛先と、電話等で伝えた記録）",
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        report = selectors.report_get(principal=principal, public_id=public_id)
        states = selectors.report_recipients(principal=principal, report=report)
        return Response(RecipientOut([present.recipient_out(s) for s in states], many=True).data)


class ReportOutsideApi(APIView):
    @extend_schema(
        parameters=[PUBLIC_ID],
        request=OutsideIn,
        responses={201: OutsideOut, **NOT_FOUND, **REFUSED},
        summary="mamoru を使っていない宛先に電話等で伝えたことを記録",
    )
    def post(self, request: Request, public_id: UUID, code: str) -> Response:
        principal = principal_of(request)
        report = selectors.report_get(principal=principal, public_id=public_id)
        recipients = {
            s.delivery.recipient.code: s.delivery.recipient
            for s in selectors.report_recipients(principal=principal, report=report)
        }
        recipient = recipients.get(code)
        if recipient is None:
            return Response({"detail": "見つかりません。"}, status=status.HTTP_404_NOT_FOUND)
        payload = OutsideIn(data=request.data)
        payload.is_valid(raise_exception=True)
        record = services.outside_report_record(
            principal=principal, report=report, recipient=recipient, **payload.validated_data
        )
        return Response(OutsideOut(record).data, status=status.HTTP_201_CREATED)


class ReportNoticeApi(APIView):
    @extend_schema(parameters=[PUBLIC_ID], responses=NoticeOut, summary="本人への通知の義務と状況")
    def get(self, request: Request, public_id: UUID) -> Response:
        notice = selectors.report_individual_notice(
            principal=principal_of(request), public_id=str(public_id)
        )
        return Response(NoticeOut(present.notice_out(notice)).data)

    @extend_schema(
        parameters=[PUBLIC_ID],
        request=NoticeIn,
        responses=NoticeOut,
        summary="本人への通知の状況を記録",
    )
    def put(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        report = selectors.report_get(principal=principal, public_id=public_id)
        payload = NoticeIn(data=request.data)
        payload.is_valid(raise_exception=True)
        services.report_individual_notice_update(
            principal=principal, report=report, **payload.validated_data
        )
        notice = selectors.report_individual_notice(principal=principal, public_id=str(public_id))
        return Response(NoticeOut(present.notice_out(notice)).data)


class InboxAcknowledgeManyApi(APIView):
    @extend_schema(
        operation_id="incidents_inbox_acknowledge_many",
        request=AcknowledgeIn,
        responses=AcknowledgeOut,
        summary="まとめて受領を確認",
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        payload = AcknowledgeIn(data=request.data)
        payload.is_valid(raise_exception=True)
        chosen = selectors.inbox_selected(principal=principal, pks=payload.validated_data["ids"])
        count = services.deliveries_acknowledge(deliveries=chosen, principal=principal)
        return Response(AcknowledgeOut({"acknowledged": count}).data)


class DeputyListApi(APIView):
    @extend_schema(responses=DeputyOut(many=True), summary="自団体の承認の代理者（いま有効なもの）")
    def get(self, request: Request) -> Response:
        deputies = selectors.deputies_of(principal=principal_of(request))
        return Response(DeputyOut(deputies, many=True).data)

    @extend_schema(
        request=DeputyIn, responses={201: DeputyOut, **REFUSED}, summary="承認の代理者を指名"
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        payload = DeputyIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        editors = people_acting_in(
            organisation=principal.organisation,
            permission=Permission.DATA_EDIT,
        )
        user = next((u for u in editors if u.get_username() == data["user"]), None)
        if user is None:
            raise Unprocessable(
                {"user": ["この団体で報告を編集できる人のユーザー名を指定してください。"]}
            )
        deputy = services.deputy_name(
            principal=principal, user=user, ends_at=data["ends_at"], reason=data["reason"]
        )
        return Response(DeputyOut(deputy).data, status=status.HTTP_201_CREATED)


class DeputyRevokeApi(APIView):
    @extend_schema(request=None, responses=DeputyOut, summary="承認の代理者の指名を取り消す")
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        deputy = selectors.deputies_of(principal=principal).get(pk=pk)
        deputy = services.deputy_revoke(principal=principal, deputy=deputy)
        return Response(DeputyOut(deputy).data)
