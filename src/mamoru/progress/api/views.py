"""REST API of progress campaigns and follow-ups: one class per operation, the gate first.

Objects are looked up through selectors with the request's principal (404 outside the
gate); services check the principal again (403). Months are ``2025-04`` in paths and
queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.orgs.principal import principal_of
from mamoru.progress import selectors, services
from mamoru.progress.api import serializers as s
from mamoru.progress.converters import parse_month
from mamoru.progress.models import Campaign, MonthlyReport
from mamoru.progress.schedule import CampaignPlan, plan_of

KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description="進捗管理のキー")
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="団体コード")
MONTH = OpenApiParameter(
    "month",
    {"type": "string", "pattern": s.MONTH},
    OpenApiParameter.PATH,
    description="報告月（2025-04 の形）",
)
PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="ID")


def _month(request: Request, plan: CampaignPlan) -> date:
    query = s.MonthQueryIn(data=request.query_params)
    query.is_valid(raise_exception=True)
    months = plan.months()
    wanted = parse_month(query.validated_data.get("month"))
    if not months:
        return plan.campaign.start_month
    return wanted if wanted in months else months[-1]


def campaign_data(campaign: Campaign, plan: CampaignPlan) -> dict[str, Any]:
    return {
        **s.ProgressCampaignOut(campaign).data,
        "description": campaign.description,
        "plan": f"{campaign.plan_key} v{campaign.plan_version}",
        "items": [
            {"code": i.code, "name": i.name, "planned_months": list(plan.planned[i.pk])}
            for i in plan.items
        ],
        "steps": [{"number": st.number, "name": st.name, "phase": st.phase} for st in plan.steps],
    }


class CampaignListApi(APIView):
    @extend_schema(
        operation_id="progress_campaigns_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(s.ProgressCampaignOut),
        summary="進捗管理の一覧",
    )
    def get(self, request: Request) -> Response:
        found = selectors.campaigns_visible(principal=principal_of(request))
        return paginated(
            request, self, found, lambda rows: s.ProgressCampaignOut(rows, many=True).data
        )


class CampaignDetailApi(APIView):
    @extend_schema(
        parameters=[KEY],
        responses=s.CampaignDetailOut,
        summary="進捗管理の計画（業務・ステップ・予定月）",
    )
    def get(self, request: Request, key: str) -> Response:
        campaign = selectors.campaign_get(principal=principal_of(request), key=key)
        return Response(s.CampaignDetailOut(campaign_data(campaign, plan_of(campaign))).data)


def _standing_data(standing: selectors.Standing, organisation: Any) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "month": standing.month,
        "report_status": standing.report.status if standing.report else None,
        "source_month": standing.source.month if standing.source else None,
        "late_items": standing.late_count,
        "items": standing.late_first,
    }


class OrganisationApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, s.MonthQueryIn],
        responses=s.StandingOut,
        summary="団体の業務ごとの状況（遅れている業務が先）",
    )
    def get(self, request: Request, key: str, code: str) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        standing = selectors.organisation_standing(
            principal=principal,
            campaign=campaign,
            organisation=target,
            month=_month(request, plan_of(campaign)),
        )
        return Response(s.StandingOut(_standing_data(standing, target)).data)


class TimelineApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, *PAGE_PARAMETERS],
        responses=page_of(s.MonthOut),
        summary="団体の月ごとの状態（報告がない月は前の報告の値）",
    )
    def get(self, request: Request, key: str, code: str) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        rows = selectors.organisation_timeline(
            principal=principal, campaign=campaign, organisation=target
        )
        return paginated(request, self, rows, lambda page: s.MonthOut(page, many=True).data)


def _report_data(principal: Any, report: MonthlyReport) -> dict[str, Any]:
    standing = selectors.organisation_standing(
        principal=principal,
        campaign=report.campaign,
        organisation=report.organisation,
        month=report.month,
    )
    return {
        "organisation": report.organisation,
        "month": report.month,
        "status": report.status,
        "unchanged": report.unchanged,
        "saved_at": report.saved_at,
        "submitted_at": report.submitted_at,
        "items": standing.rows,
    }


class ReportApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, MONTH], responses=s.MonthlyReportOut, summary="ある月の報告"
    )
    def get(self, request: Request, key: str, code: str, month: date) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        report = selectors.report_get(
            principal=principal, campaign=campaign, organisation=target, month=month
        )
        return Response(s.MonthlyReportOut(_report_data(principal, report)).data)

    @extend_schema(
        parameters=[KEY, CODE, MONTH],
        request=s.MonthlyReportIn,
        responses=s.MonthlyReportOut,
        summary="ある月の報告を保存（下書き。提出済みの報告は下書きに戻ります）",
    )
    def put(self, request: Request, key: str, code: str, month: date) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        payload = s.MonthlyReportIn(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_open(
            principal=principal, campaign=campaign, organisation=target, month=month
        )
        entries = {
            e["code"]: services.ItemEntry(
                step=e["step"],
                reached_month=parse_month(e.get("reached_month")),
                delay_reason=e.get("delay_reason", ""),
                delay_note=e.get("delay_note", ""),
            )
            for e in payload.validated_data["items"]
        }
        report = services.report_save(principal=principal, report=report, entries=entries)
        return Response(s.MonthlyReportOut(_report_data(principal, report)).data)


class ReportSubmitApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, MONTH],
        request=None,
        responses=s.MonthlyReportOut,
        summary="ある月の報告を提出",
    )
    def post(self, request: Request, key: str, code: str, month: date) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        report = selectors.report_get(
            principal=principal, campaign=campaign, organisation=target, month=month
        )
        report = services.report_submit(principal=principal, report=report)
        return Response(s.MonthlyReportOut(_report_data(principal, report)).data)


class ReportUnchangedApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, MONTH],
        request=None,
        responses={201: s.MonthlyReportOut},
        summary="「前月から変更なし」で提出",
    )
    def post(self, request: Request, key: str, code: str, month: date) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        report = services.report_confirm_unchanged(
            principal=principal, campaign=campaign, organisation=target, month=month
        )
        return Response(
            s.MonthlyReportOut(_report_data(principal, report)).data, status=status.HTTP_201_CREATED
        )


class PrefectureApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, s.HeatQueryIn, *PAGE_PARAMETERS],
        responses=page_of(s.HeatRowOut),
        summary="都道府県の団体×業務の状況（遅れの多い団体が先）",
    )
    def get(self, request: Request, key: str, code: str) -> Response:
        principal = principal_of(request)
        query = s.HeatQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        campaign = selectors.campaign_get(principal=principal, key=key)
        prefecture = selectors.prefecture_get(principal=principal, code=code)
        board = selectors.prefecture_dashboard(
            principal=principal,
            campaign=campaign,
            prefecture=prefecture,
            month=_month(request, plan_of(campaign)),
            sort=query.validated_data.get("sort", "late"),
        )
        return paginated(request, self, board.rows, lambda page: s.HeatRowOut(page, many=True).data)


def _totals(t: selectors.Totals, **extra: Any) -> dict[str, Any]:
    return {
        "participants": t.participants,
        "reported": t.reported,
        "late": t.late,
        "done": t.done,
        "progress_percent": t.progress_percent,
        "late_percent": t.late_percent,
        **extra,
    }


class NationalApi(APIView):
    @extend_schema(
        parameters=[KEY, s.MonthQueryIn], responses=s.NationalOut, summary="全国の集計（国のみ）"
    )
    def get(self, request: Request, key: str) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        board = selectors.national_dashboard(
            principal=principal, campaign=campaign, month=_month(request, plan_of(campaign))
        )
        data = {
            "month": board.month,
            "total": _totals(board.total),
            "prefectures": [
                _totals(t, code=p["code"], name=p["name"]) for p, t in board.prefectures
            ],
            "items": [_totals(t, name=name) for name, t in board.items],
            "steps": [{"step": step, "count": count} for step, count in board.steps],
            "trend": [_totals(t, month=m) for m, t in board.trend],
        }
        return Response(s.NationalOut(data).data)


class FollowUpListApi(APIView):
    @extend_schema(
        parameters=[KEY, CODE, *PAGE_PARAMETERS],
        responses=page_of(s.FollowUpOut),
        summary="団体へのフォローアップ",
    )
    def get(self, request: Request, key: str, code: str) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        found = selectors.follow_ups_of(principal=principal, campaign=campaign, organisation=target)
        return paginated(request, self, found, lambda rows: s.FollowUpOut(rows, many=True).data)

    @extend_schema(
        parameters=[KEY, CODE],
        request=s.FollowUpIn,
        responses={201: s.FollowUpOut},
        summary="フォローアップを記録（都道府県）",
    )
    def post(self, request: Request, key: str, code: str) -> Response:
        principal = principal_of(request)
        campaign = selectors.campaign_get(principal=principal, key=key)
        target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
        payload = s.FollowUpIn(data=request.data)
        payload.is_valid(raise_exception=True)
        follow_up = services.follow_up_create(
            principal=principal, campaign=campaign, organisation=target, **payload.validated_data
        )
        return Response(s.FollowUpOut(follow_up).data, status=status.HTTP_201_CREATED)


class FollowUpAnswerApi(APIView):
    @extend_schema(
        parameters=[PK],
        request=s.FollowUpAnswerIn,
        responses=s.FollowUpOut,
        summary="遅れの問合せに回答",
    )
    def post(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        follow_up = selectors.follow_up_get(principal=principal, pk=pk)
        payload = s.FollowUpAnswerIn(data=request.data)
        payload.is_valid(raise_exception=True)
        follow_up = services.follow_up_answer(
            principal=principal, follow_up=follow_up, answer=payload.validated_data["answer"]
        )
        return Response(s.FollowUpOut(follow_up).data)
