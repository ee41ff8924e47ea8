"""REST API of surveys: one class per operation, explicit serializers, the gate first.

Objects are looked up through the selectors with the request's principal, so a target of
another organisation answers 404 as if it did not exist; services check the principal
again (403), refuse a wrong state (409) or bad input (400). A municipality reads its own
answers and scores and, after close, only the protected peer aggregates; its prefecture
and the campaign's sender read its submitted answers by name.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.api.schema import ErrorOut
from mamoru.assessments import definitions, selectors, services
from mamoru.assessments.api import present
from mamoru.assessments.api.serializers import (
    AnswerIn,
    AnswerOut,
    CampaignIn,
    CampaignOut,
    DashboardOut,
    FrameworkDetailOut,
    FrameworkOut,
    PeersOut,
    ReviewIn,
    ReviewOut,
    ScoresOut,
    SurveySubmissionOut,
    TargetOut,
)
from mamoru.assessments.models import Framework, Target
from mamoru.orgs.principal import principal_of

PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="ID")
ITEM = OpenApiParameter("item_id", str, OpenApiParameter.PATH, description="項目ID（例: TEC-18）")
STATE = {409: OpenApiResponse(ErrorOut, description="調査や回答の状態ではこの操作はできません")}


class FrameworkListApi(APIView):
    @extend_schema(
        operation_id="assessments_frameworks_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(FrameworkOut),
        summary="調査票の一覧",
    )
    def get(self, request: Request) -> Response:
        principal_of(request)
        return paginated(
            request,
            self,
            selectors.frameworks(),
            lambda rows: FrameworkOut([present.framework_out(f) for f in rows], many=True).data,
        )


class FrameworkDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=FrameworkDetailOut, summary="調査票（項目を含む）")
    def get(self, request: Request, pk: int) -> Response:
        principal_of(request)
        stored: Framework = selectors.framework_get(pk=pk)
        data = present.framework_detail_out(stored, definitions.definition(stored))
        return Response(FrameworkDetailOut(data).data)


class CampaignListApi(APIView):
    @extend_schema(
        operation_id="assessments_campaigns_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(CampaignOut),
        summary="見られる調査",
    )
    def get(self, request: Request) -> Response:
        campaigns = selectors.campaigns_visible(principal=principal_of(request))
        return paginated(
            request,
            self,
            campaigns,
            lambda rows: CampaignOut([present.campaign_out(c) for c in rows], many=True).data,
        )

    @extend_schema(
        request=CampaignIn, responses={201: CampaignOut}, summary="調査を送る（総務省・都道府県）"
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        payload = CampaignIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        framework = selectors.frameworks().get(urn=data["framework_urn"])
        campaign = services.campaign_create(
            principal=principal,
            framework=framework,
            title=data["title"],
            description=data["description"],
            deadline=data["deadline"],
            organisation_codes=data["organisation_codes"],
        )
        return Response(
            CampaignOut(present.campaign_out(campaign)).data, status=status.HTTP_201_CREATED
        )


class CampaignDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=CampaignOut, summary="調査")
    def get(self, request: Request, pk: int) -> Response:
        campaign = selectors.campaign_get(principal=principal_of(request), pk=pk)
        return Response(CampaignOut(present.campaign_out(campaign)).data)


class CampaignCloseApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=None,
        responses={200: CampaignOut, **STATE},
        summary="調査を締め切る",
    )
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, pk=pk)
        campaign = services.campaign_close(principal=principal, campaign=campaign)
        return Response(CampaignOut(present.campaign_out(campaign)).data)


class CampaignTargetsApi(APIView):
    @extend_schema(
        parameters=[PK, *PAGE_PARAMETERS],
        responses=page_of(TargetOut),
        summary="調査の対象団体と提出状況（見られる範囲）",
    )
    def get(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, pk=pk)
        targets = selectors.targets_of(principal=principal, campaign=campaign)
        return paginated(
            request,
            self,
            targets,
            lambda rows: TargetOut([present.target_out(t) for t in rows], many=True).data,
        )


class CampaignDashboardApi(APIView):
    @extend_schema(
        parameters=[PK],
        responses=DashboardOut,
        summary="集計（項目・章ごとの実施率、都道府県別の提出状況）",
    )
    def get(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, pk=pk)
        board = selectors.dashboard(principal=principal, campaign=campaign)
        return Response(DashboardOut(present.dashboard_out(board)).data)


def _target(request: Request, pk: int) -> Target:
    return selectors.target_get(principal=principal_of(request), pk=pk)


class TargetDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=TargetOut, summary="団体の回答の状態")
    def get(self, request: Request, pk: int) -> Response:
        return Response(TargetOut(present.target_out(_target(request, pk))).data)


class TargetAnswersApi(APIView):
    @extend_schema(
        parameters=[PK],
        responses=AnswerOut(many=True),
        summary="回答（自団体は作業中の回答、監督する団体は提出された回答）",
    )
    def get(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        target = _target(request, pk)
        if target.organisation_id == principal.organisation.pk:
            working = selectors.answers_of(principal=principal, target=target)
            rows = [present.working_answer_out(a) for _, a in sorted(working.items())]
        else:
            rows = present.submitted_answers_out(target.current_submission)
        return Response(AnswerOut(rows, many=True).data)


class AnswerApi(APIView):
    @extend_schema(
        parameters=[PK, ITEM],
        request=AnswerIn,
        responses={200: AnswerOut, **STATE},
        summary="一つの項目に回答する",
    )
    def put(self, request: Request, pk: int, item_id: str) -> Response:
        principal = principal_of(request)
        target = _target(request, pk)
        payload = AnswerIn(data=request.data)
        payload.is_valid(raise_exception=True)
        answer = services.answer_save(
            principal=principal,
            target=target,
            item_id=item_id,
            option_id=payload.validated_data["option_id"],
            comment=payload.validated_data.get("comment"),
        )
        return Response(AnswerOut(present.working_answer_out(answer)).data)


class TargetSubmitApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=None,
        responses={201: SurveySubmissionOut, **STATE},
        summary="回答を提出する（CISO）",
    )
    def post(self, request: Request, pk: int) -> Response:
        submission = services.target_submit(
            principal=principal_of(request), target=_target(request, pk)
        )
        return Response(
            SurveySubmissionOut(present.submission_out(submission)).data,
            status=status.HTTP_201_CREATED,
        )


class TargetReviewApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=ReviewIn,
        responses={201: ReviewOut, **STATE},
        summary="提出された回答を差し戻す・確認済みにする",
    )
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        target = _target(request, pk)
        payload = ReviewIn(data=request.data)
        payload.is_valid(raise_exception=True)
        review = services.target_review(
            principal=principal,
            target=target,
            decision=payload.validated_data["decision"],
            comment=payload.validated_data["comment"],
        )
        return Response(ReviewOut(present.review_out(review)).data, status=status.HTTP_201_CREATED)


class TargetScoresApi(APIView):
    @extend_schema(parameters=[PK], responses=ScoresOut, summary="評価（実施率・成熟度・回答率）")
    def get(self, request: Request, pk: int) -> Response:
        target = _target(request, pk)
        if target.current_submission is None:
            raise Target.DoesNotExist
        return Response(ScoresOut(present.scores_out(target)).data)


class TargetPeersApi(APIView):
    @extend_schema(
        parameters=[PK],
        responses=PeersOut,
        summary="同規模団体との比較（締切後、保護された集計値だけ）",
    )
    def get(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        target = _target(request, pk)
        view = selectors.peer_view(principal=principal, target=target)
        if view is None:
            raise Target.DoesNotExist
        data = present.peers_out(view, selectors.prefecture_names())
        return Response(PeersOut(data).data)
