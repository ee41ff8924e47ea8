"""REST API of notices, questions and the FAQ."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.orgs.principal import principal_of
from mamoru.progress import selectors, services
from mamoru.progress.api import serializers as s
from mamoru.progress.audience import Audience
from mamoru.progress.models import NoticeDelivery

PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="ID")


class NoticeListApi(APIView):
    @extend_schema(
        operation_id="progress_notices_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(s.ProgressReceivedNoticeOut),
        summary="届いたお知らせ（未読が先）",
    )
    def get(self, request: Request) -> Response:
        found = selectors.notices_received(principal=principal_of(request))
        return paginated(
            request, self, found, lambda rows: s.ProgressReceivedNoticeOut(rows, many=True).data
        )

    @extend_schema(
        request=s.ProgressNoticeIn,
        responses={201: s.ProgressNoticeOut},
        summary="お知らせを発出（国・都道府県）",
    )
    def post(self, request: Request) -> Response:
        payload = s.ProgressNoticeIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        notice = services.notice_publish(
            principal=principal_of(request),
            title=data["title"],
            body=data["body"],
            audience=Audience.from_dict(data["audience"]),
            confirm_by=data.get("confirm_by"),
        )
        return Response(s.ProgressNoticeOut(notice).data, status=status.HTTP_201_CREATED)


class NoticeSentApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=page_of(s.SentNoticeOut), summary="発出したお知らせ"
    )
    def get(self, request: Request) -> Response:
        found = selectors.notices_sent(principal=principal_of(request))
        return paginated(request, self, found, lambda rows: s.SentNoticeOut(rows, many=True).data)


BIGGEST_ID = 2**63 - 1  # a database id is a signed 64-bit integer


def _notice(request: Request, pk: int) -> selectors.NoticeView:
    """The notice ``pk`` as the selector sees it; an id beyond any database's is no notice
    (SQLite cannot bind it in the selector's lookup on the delivery: a 500, not a 404)."""
    if pk > BIGGEST_ID:
        raise NoticeDelivery.DoesNotExist
    return selectors.notice_get(principal=principal_of(request), pk=pk)


class NoticeDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=s.ProgressNoticeOut, summary="お知らせ")
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ProgressNoticeOut(_notice(request, pk).notice).data)


def _delivery(request: Request, pk: int) -> NoticeDelivery:
    view = _notice(request, pk)
    if view.delivery is None:
        raise NoticeDelivery.DoesNotExist
    return view.delivery


class NoticeReadApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=None,
        responses=s.ProgressReceivedNoticeOut,
        summary="お知らせを既読にする",
    )
    def post(self, request: Request, pk: int) -> Response:
        delivery = services.notice_mark_read(
            principal=principal_of(request), delivery=_delivery(request, pk)
        )
        return Response(s.ProgressReceivedNoticeOut(delivery).data)


class NoticeConfirmApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=None,
        responses=s.ProgressReceivedNoticeOut,
        summary="お知らせの内容を確認した",
    )
    def post(self, request: Request, pk: int) -> Response:
        delivery = services.notice_confirm(
            principal=principal_of(request), delivery=_delivery(request, pk)
        )
        return Response(s.ProgressReceivedNoticeOut(delivery).data)


class NoticeRecipientsApi(APIView):
    @extend_schema(
        parameters=[PK, *PAGE_PARAMETERS],
        responses=page_of(s.ProgressRecipientOut),
        summary="お知らせの宛先と確認状況（発出元のみ。未確認が先）",
    )
    def get(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        view = _notice(request, pk)
        if not view.is_sender:
            raise NoticeDelivery.DoesNotExist
        found = selectors.notice_recipients(principal=principal, notice=view.notice)
        return paginated(
            request, self, found, lambda rows: s.ProgressRecipientOut(rows, many=True).data
        )


class QuestionListApi(APIView):
    @extend_schema(
        operation_id="progress_questions_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(s.QuestionOut),
        summary="質問の一覧",
    )
    def get(self, request: Request) -> Response:
        found = selectors.questions_visible(principal=principal_of(request))
        return paginated(request, self, found, lambda rows: s.QuestionOut(rows, many=True).data)

    @extend_schema(request=s.QuestionIn, responses={201: s.QuestionOut}, summary="質問する")
    def post(self, request: Request) -> Response:
        payload = s.QuestionIn(data=request.data)
        payload.is_valid(raise_exception=True)
        question = services.question_ask(principal=principal_of(request), **payload.validated_data)
        return Response(s.QuestionOut(question).data, status=status.HTTP_201_CREATED)


class QuestionDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=s.QuestionOut, summary="質問")
    def get(self, request: Request, pk: int) -> Response:
        question = selectors.question_get(principal=principal_of(request), pk=pk)
        return Response(s.QuestionOut(question).data)


class QuestionAnswerApi(APIView):
    @extend_schema(
        parameters=[PK], request=s.ProgressAnswerIn, responses=s.QuestionOut, summary="質問に回答"
    )
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        question = selectors.question_get(principal=principal, pk=pk)
        payload = s.ProgressAnswerIn(data=request.data)
        payload.is_valid(raise_exception=True)
        question = services.question_answer(
            principal=principal, question=question, answer=payload.validated_data["answer"]
        )
        return Response(s.QuestionOut(question).data)


class QuestionForwardApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=s.ForwardIn,
        responses=s.QuestionOut,
        summary="質問を国に転送（都道府県）",
    )
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        question = selectors.question_get(principal=principal, pk=pk)
        payload = s.ForwardIn(data=request.data)
        payload.is_valid(raise_exception=True)
        question = services.question_forward(
            principal=principal, question=question, note=payload.validated_data.get("note", "")
        )
        return Response(s.QuestionOut(question).data)


class QuestionPublishApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=s.FaqIn,
        responses={201: s.FaqOut},
        summary="回答済みの質問をよくある質問として公開",
    )
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        question = selectors.question_get(principal=principal, pk=pk)
        payload = s.FaqIn(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = services.faq_publish(
            principal=principal, question=question, **payload.validated_data
        )
        return Response(s.FaqOut(entry).data, status=status.HTTP_201_CREATED)


class FaqListApi(APIView):
    @extend_schema(
        operation_id="progress_faq_list",
        parameters=[s.FaqSearchIn, *PAGE_PARAMETERS],
        responses=page_of(s.FaqOut),
        summary="よくある質問（q で部分一致の検索。例: ランサム）",
    )
    def get(self, request: Request) -> Response:
        query = s.FaqSearchIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.faq_search(
            principal=principal_of(request),
            query=query.validated_data.get("q", ""),
            category=query.validated_data.get("category", ""),
        )
        return paginated(request, self, found, lambda rows: s.FaqOut(rows, many=True).data)


class FaqDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=s.FaqOut, summary="よくある質問")
    def get(self, request: Request, pk: int) -> Response:
        entry = selectors.faq_get(principal=principal_of(request), pk=pk)
        return Response(s.FaqOut(entry).data)
