"""REST API of the attack-surface diagnosis: one class per operation, explicit serializers,
the same selectors and services as the pages (so the same access rules, the same audit
entries): an organisation or object outside the gate answers 404, a refused operation 403,
a wrong state 409."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.asm import selectors, services
from mamoru.asm.api.serializers import (
    AcceptRiskIn,
    AssetIn,
    AssetOut,
    AssetUpdateIn,
    ExposedServiceOut,
    FindingActionIn,
    FindingDetailOut,
    FindingFilterIn,
    FindingOut,
    ScanOut,
    ServiceOut,
)
from mamoru.asm.explain import finding_explanation
from mamoru.asm.models import Scan
from mamoru.asm.selectors import FindingFilters
from mamoru.core.progress import progress_get
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import principal_of

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="団体コード（6桁）")
PK = OpenApiParameter("pk", int, OpenApiParameter.PATH)


def _progress(scans: list[Scan]) -> dict[int, int | None]:
    found = {}
    for scan in scans:
        progress = progress_get(task_id=scan.progress_key)
        found[scan.pk] = progress.percent if progress else None
    return found


class AssetListApi(APIView):
    @extend_schema(
        parameters=[CODE, *PAGE_PARAMETERS], responses=page_of(AssetOut), summary="資産の一覧"
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = selectors.asm_organisation(principal=principal, code=code)
        assets = selectors.assets_of(principal=principal, organisation=organisation)
        return paginated(request, self, assets, lambda rows: AssetOut(rows, many=True).data)

    @extend_schema(
        parameters=[CODE],
        request=AssetIn,
        responses={201: AssetOut},
        summary="資産を登録（承認待ち）",
    )
    def post(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = selectors.asm_organisation(principal=principal, code=code)
        payload = AssetIn(data=request.data)
        payload.is_valid(raise_exception=True)
        asset = services.asset_create(
            principal=principal, organisation=organisation, via="api", **payload.validated_data
        )
        return Response(AssetOut(asset).data, status=status.HTTP_201_CREATED)


class AssetDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=AssetOut, summary="資産の詳細")
    def get(self, request: Request, pk: int) -> Response:
        asset = selectors.asset_get(principal=principal_of(request), pk=pk)
        return Response(AssetOut(asset).data)

    @extend_schema(
        parameters=[PK],
        request=AssetUpdateIn,
        responses=AssetOut,
        summary="資産の担当・メモ・ポートを変更",
    )
    def patch(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        asset = selectors.asset_get(principal=principal, pk=pk)
        payload = AssetUpdateIn(data=request.data)
        payload.is_valid(raise_exception=True)
        asset = services.asset_update(principal=principal, asset=asset, **payload.validated_data)
        return Response(AssetOut(asset).data)


class AssetActionApi(APIView):
    ACTIONS = {"approve": services.asset_approve, "retire": services.asset_retire}

    @extend_schema(
        parameters=[
            PK,
            OpenApiParameter("action", str, OpenApiParameter.PATH, enum=["approve", "retire"]),
        ],
        request=None,
        responses=AssetOut,
        summary="資産を承認する（診断対象にする）／対象から外す",
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        principal = principal_of(request)
        asset = selectors.asset_get(principal=principal, pk=pk)
        if action not in self.ACTIONS:
            raise NotFound
        return Response(AssetOut(self.ACTIONS[action](principal=principal, asset=asset)).data)


class ScanListApi(APIView):
    @extend_schema(
        parameters=[CODE, *PAGE_PARAMETERS], responses=page_of(ScanOut), summary="診断の一覧"
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = selectors.asm_organisation(principal=principal, code=code)
        scans = selectors.scans_of(principal=principal, organisation=organisation)
        return paginated(
            request, self, scans,
            lambda rows: ScanOut(rows, many=True, context={"progress": _progress(rows)}).data,
        )  # fmt: skip

    @extend_schema(parameters=[CODE], request=None, responses={201: ScanOut}, summary="診断を依頼")
    def post(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = selectors.asm_organisation(principal=principal, code=code)
        scan = services.scan_request(principal=principal, organisation=organisation)
        return Response(
            ScanOut(scan, context={"progress": _progress([scan])}).data,
            status=status.HTTP_201_CREATED,
        )


class ScanDetailApi(APIView):
    @extend_schema(parameters=[PK], responses=ScanOut, summary="診断の状態と進み具合")
    def get(self, request: Request, pk: int) -> Response:
        scan = selectors.scan_get(principal=principal_of(request), pk=pk)
        return Response(ScanOut(scan, context={"progress": _progress([scan])}).data)


class ServiceListApi(APIView):
    @extend_schema(
        parameters=[CODE, *PAGE_PARAMETERS],
        responses=page_of(ServiceOut),
        summary="公開しているサービス",
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = selectors.asm_organisation(
            principal=principal, code=code, kind=DataKind.FINDINGS
        )
        rows = selectors.services_of(principal=principal, organisation=organisation)
        return paginated(request, self, rows, lambda page: ServiceOut(page, many=True).data)


class FindingListApi(APIView):
    @extend_schema(
        parameters=[CODE, FindingFilterIn, *PAGE_PARAMETERS],
        responses=page_of(FindingOut),
        summary="検出結果の一覧（優先度の順）",
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = selectors.asm_organisation(
            principal=principal, code=code, kind=DataKind.FINDINGS
        )
        query = {k: v for k, v in request.query_params.items() if k not in {"limit", "offset"}}
        filters = FindingFilterIn(data=query)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        rows = selectors.findings_of(
            principal=principal,
            organisation=organisation,
            filters=FindingFilters(
                status=data["status"],
                priority=data.get("priority"),
                kev=data["kev"],
                query=data["q"],
            ),
        )
        return paginated(request, self, rows, lambda page: FindingOut(page, many=True).data)


def _detail(request: Request, pk: int) -> Response:
    principal = principal_of(request)
    finding = selectors.finding_get(principal=principal, pk=pk)
    finding.explanation = finding_explanation(finding)  # type: ignore[attr-defined]
    finding.events_list = list(selectors.finding_events(principal=principal, finding=finding))  # type: ignore[attr-defined]
    data = FindingDetailOut(finding).data
    return Response(data)


class FindingDetailApi(APIView):
    @extend_schema(
        parameters=[PK], responses=FindingDetailOut, summary="検出結果の詳細（説明・証拠・履歴）"
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, pk)


class FindingActionApi(APIView):
    ACTIONS = {
        "acknowledge": services.finding_acknowledge,
        "fix": services.finding_mark_fixed,
        "reopen": services.finding_reopen,
        "note": services.finding_note,
    }

    @extend_schema(
        parameters=[PK, OpenApiParameter("action", str, OpenApiParameter.PATH,
                                         enum=["acknowledge", "fix", "reopen", "note", "accept"])],
        request=AcceptRiskIn,
        responses=FindingDetailOut,
        summary="検出結果の状態を変える（accept はリスク受容: reason と until が必要）",
    )  # fmt: skip
    def post(self, request: Request, pk: int, action: str) -> Response:
        principal = principal_of(request)
        finding = selectors.finding_get(principal=principal, pk=pk)
        if action == "accept":
            accept = AcceptRiskIn(data=request.data)
            accept.is_valid(raise_exception=True)
            services.finding_accept_risk(
                principal=principal, finding=finding, **accept.validated_data
            )
        elif action in self.ACTIONS:
            payload = FindingActionIn(data=request.data)
            payload.is_valid(raise_exception=True)
            self.ACTIONS[action](
                principal=principal, finding=finding, note=payload.validated_data["note"]
            )
        else:
            raise NotFound
        return _detail(request, pk)


class ExposureApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "vulnerability_id", str, OpenApiParameter.PATH, description="CVE-2024-6387 など"
            ),
            *PAGE_PARAMETERS,
        ],
        responses=page_of(ExposedServiceOut),
        summary="脆弱性に該当するサービス（見える団体のもの、いま）",
    )
    def get(self, request: Request, vulnerability_id: str) -> Response:
        rows = selectors.exposed_services(
            principal=principal_of(request), vulnerability_id=vulnerability_id
        )
        return paginated(request, self, rows, lambda page: ExposedServiceOut(page, many=True).data)
