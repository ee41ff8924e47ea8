"""REST API of advisories and sharing back: one class per operation, the gate first."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.advisories import selectors, services
from mamoru.advisories.api import serializers as s
from mamoru.advisories.content import AdvisoryContent, Source
from mamoru.advisories.misp import event_for
from mamoru.advisories.models import AdvisoryDelivery
from mamoru.advisories.products import AffectedProduct
from mamoru.advisories.stix import bundle_for
from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.orgs.principal import principal_of
from mamoru.progress.audience import Audience

ID = OpenApiParameter("public_id", UUID, OpenApiParameter.PATH, description="注意喚起のID")
SHARE = OpenApiParameter("public_id", UUID, OpenApiParameter.PATH, description="共有のID")


def _content(data: dict[str, Any]) -> AdvisoryContent:
    return AdvisoryContent(
        title=data["title"],
        summary=data["summary"],
        actions_first=data["actions_first"],
        urgency=data["urgency"],
        importance=data["importance"],
        tlp=data["tlp"],
        threat=data.get("threat", ""),
        attacker=data.get("attacker", ""),
        purpose=data.get("purpose", ""),
        background=data.get("background", ""),
        expected_damage=data.get("expected_damage", ""),
        actions_later=data.get("actions_later", ""),
        products=tuple(AffectedProduct.from_dict(p) for p in data.get("products", [])),
        cves=tuple(data.get("cves", [])),
        sources=tuple(Source(x["name"], x.get("url", "")) for x in data.get("sources", [])),
    )


class AdvisoryListApi(APIView):
    @extend_schema(
        operation_id="advisories_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(s.AdvisoryDeliveryOut),
        summary="届いた注意喚起（未回答が先）",
    )
    def get(self, request: Request) -> Response:
        found = selectors.advisories_received(principal=principal_of(request))
        return paginated(
            request, self, found, lambda rows: s.AdvisoryDeliveryOut(rows, many=True).data
        )

    @extend_schema(
        request=s.AdvisoryIn, responses={201: s.AdvisoryOut}, summary="注意喚起を発出（国）"
    )
    def post(self, request: Request) -> Response:
        payload = s.AdvisoryIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        audience = data.get("audience")
        advisory = services.advisory_publish(
            principal=principal_of(request),
            content=_content(data),
            audience=Audience.from_dict(audience) if audience else None,
            by_exposure=data.get("by_exposure", False),
        )
        return Response(s.AdvisoryOut(advisory).data, status=status.HTTP_201_CREATED)


class AdvisorySentApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=page_of(s.AdvisoryOut), summary="発出した注意喚起"
    )
    def get(self, request: Request) -> Response:
        found = selectors.advisories_sent(principal=principal_of(request))
        return paginated(request, self, found, lambda rows: s.AdvisoryOut(rows, many=True).data)


class AdvisoryImportApi(APIView):
    @extend_schema(
        request=s.ImportIn,
        responses={201: s.AdvisoryOut(many=True)},
        summary="STIX 2.1 のバンドルから取り込む（国）",
    )
    def post(self, request: Request) -> Response:
        payload = s.ImportIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = json.dumps(payload.validated_data["bundle"]).encode()
        advisories = services.advisory_import(
            principal=principal_of(request),
            data=data,
            audience=Audience.from_dict(payload.validated_data["audience"]),
        )
        return Response(s.AdvisoryOut(advisories, many=True).data, status=status.HTTP_201_CREATED)


class AdvisoryDetailApi(APIView):
    @extend_schema(parameters=[ID], responses=s.AdvisoryOut, summary="注意喚起")
    def get(self, request: Request, public_id: UUID) -> Response:
        view = selectors.advisory_get(principal=principal_of(request), public_id=public_id)
        return Response(s.AdvisoryOut(view.advisory).data)


def _delivery(request: Request, public_id: UUID) -> AdvisoryDelivery:
    view = selectors.advisory_get(principal=principal_of(request), public_id=public_id)
    if view.delivery is None:
        raise AdvisoryDelivery.DoesNotExist
    return view.delivery


class AdvisoryAcknowledgeApi(APIView):
    @extend_schema(
        parameters=[ID], request=None, responses=s.AdvisoryDeliveryOut, summary="受領を確認"
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        delivery = services.advisory_acknowledge(
            principal=principal_of(request), delivery=_delivery(request, public_id)
        )
        return Response(s.AdvisoryDeliveryOut(delivery).data)


class AdvisoryAnswerApi(APIView):
    @extend_schema(
        parameters=[ID],
        request=s.AdvisoryAnswerIn,
        responses=s.AdvisoryDeliveryOut,
        summary="影響あり・影響なし・対応済みを回答",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        delivery = _delivery(request, public_id)
        payload = s.AdvisoryAnswerIn(data=request.data)
        payload.is_valid(raise_exception=True)
        delivery = services.advisory_answer(
            principal=principal_of(request),
            delivery=delivery,
            answer=payload.validated_data["answer"],
            note=payload.validated_data.get("note", ""),
        )
        return Response(s.AdvisoryDeliveryOut(delivery).data)


class AdvisoryStateApi(APIView):
    @extend_schema(
        parameters=[ID], responses=s.StateOut(many=True), summary="都道府県ごとの回答の状況"
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        principal = principal_of(request)
        advisory = selectors.advisory_get(principal=principal, public_id=public_id).advisory
        states = selectors.advisory_state(principal=principal, advisory=advisory)
        return Response(s.StateOut(states, many=True).data)


class AdvisoryStixApi(APIView):
    @extend_schema(parameters=[ID], responses=OpenApiTypes.OBJECT, summary="STIX 2.1 のバンドル")
    def get(self, request: Request, public_id: UUID) -> Response:
        advisory = selectors.advisory_exports(principal=principal_of(request), public_id=public_id)
        return Response(bundle_for([advisory]))


class AdvisoryMispApi(APIView):
    @extend_schema(
        parameters=[ID], responses=OpenApiTypes.OBJECT, summary="MISP のイベント（JSON）"
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        advisory = selectors.advisory_exports(principal=principal_of(request), public_id=public_id)
        return Response(event_for(advisory))


class ShareListApi(APIView):
    @extend_schema(
        operation_id="advisories_shared_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(s.ShareOut),
        summary="共有された情報",
    )
    def get(self, request: Request) -> Response:
        found = selectors.shares_visible(principal=principal_of(request))
        return paginated(request, self, found, lambda rows: s.ShareOut(rows, many=True).data)

    @extend_schema(request=s.ShareIn, responses={201: s.ShareOut}, summary="情報を共有（TLP 付き）")
    def post(self, request: Request) -> Response:
        payload = s.ShareIn(data=request.data)
        payload.is_valid(raise_exception=True)
        share = services.share_create(principal=principal_of(request), **payload.validated_data)
        return Response(s.ShareOut(share).data, status=status.HTTP_201_CREATED)


class ShareDetailApi(APIView):
    @extend_schema(parameters=[SHARE], responses=s.ShareOut, summary="共有された情報")
    def get(self, request: Request, public_id: UUID) -> Response:
        share = selectors.share_get(principal=principal_of(request), public_id=public_id)
        return Response(s.ShareOut(share).data)
