"""A TAXII 2.1 server over HTTP: discovery at ``/taxii2/``, one API root
(``/taxii2/advisories/``) with one read-only collection, the advisories the client's
organisation may read, as STIX 2.1 (``mamoru.advisories.stix``).

Clients authenticate with the platform's API tokens (``Authorization: Bearer …``,
``mamoru.orgs.authentication.ApiTokenAuthentication``): what a token reads here is what
its organisation reads in the advisories pages. Responses are
``application/taxii+json;version=2.1``, errors the TAXII error message (§3.6.1); a
request that accepts neither gets 406. The OpenAPI schema leaves these out: TAXII is its
own protocol, documented by OASIS.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.advisories import selectors, taxii
from mamoru.advisories.stix import NAMESPACE
from mamoru.api.permissions import HasPrincipal
from mamoru.orgs.authentication import ApiTokenAuthentication
from mamoru.orgs.principal import principal_of

COLLECTION_ID: Final = str(uuid.uuid5(NAMESPACE, "taxii-collection|advisories"))
COLLECTION: Final = {
    "id": COLLECTION_ID,
    "title": "注意喚起 (mamoru advisories)",
    "description": "国が地方公共団体に発出した注意喚起（STIX 2.1 の report と関連オブジェクト）",
    "can_read": True,
    "can_write": False,
    "media_types": [taxii.MEDIA_TYPE_STIX],
}
MAX_CONTENT_LENGTH: Final = 10 * 1024 * 1024
TITLES: Final = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    429: "Too Many Requests",
}


class TaxiiRenderer(JSONRenderer):
    media_type = "application/taxii+json"
    format = "taxii"
    charset = None


def _acceptable(accept: str) -> bool:
    for item in accept.split(","):
        media, *params = [p.strip() for p in item.split(";")]
        versions = [p.split("=", 1)[1] for p in params if p.startswith("version=")]
        if media in {"*/*", "application/*"}:
            return True
        if media == "application/taxii+json" and (not versions or "2.1" in versions):
            return True
    return False


class TaxiiNegotiation(BaseContentNegotiation):
    """TAXII 2.1 media type only: anything else is 406."""

    def select_parser(self, request: Any, parsers: Any) -> None:
        return None

    def select_renderer(
        self, request: Any, renderers: Any, format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        if not _acceptable(request.META.get("HTTP_ACCEPT", "*/*")):
            raise exceptions.NotAcceptable("Accept: application/taxii+json;version=2.1")
        return renderers[0], taxii.MEDIA_TYPE_TAXII


class TaxiiView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasPrincipal]
    renderer_classes = [TaxiiRenderer]
    content_negotiation_class = TaxiiNegotiation

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {
            "title": TITLES.get(response.status_code, "Error"),
            "description": str(detail or response.data),
            "http_status": str(response.status_code),
        }
        return response

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response.content_type = taxii.MEDIA_TYPE_TAXII  # errors too, whatever was negotiated
        return response


def _collection(collection_id: str) -> None:
    if collection_id != COLLECTION_ID:
        raise exceptions.NotFound("no such collection")


def _params(request: Request) -> dict[str, str]:
    return {key: request.query_params.get(key, "") for key in request.query_params}


def _objects(request: Request, collection_id: str) -> list[selectors.TaxiiObject]:
    _collection(collection_id)
    try:
        return taxii.matching(
            selectors.taxii_objects(principal=principal_of(request)), _params(request)
        )
    except taxii.FilterError as error:
        raise exceptions.ValidationError(str(error)) from error


def _page(request: Request, found: list[selectors.TaxiiObject]) -> taxii.Page:
    try:
        return taxii.page(found, _params(request))
    except taxii.FilterError as error:
        raise exceptions.ValidationError(str(error)) from error


class DiscoveryView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        root = request.build_absolute_uri(reverse("taxii:api_root"))
        return Response(
            {
                "title": "mamoru TAXII 2.1",
                "description": "地方公共団体のためのサイバーセキュリティ基盤 mamoru の注意喚起",
                "default": root,
                "api_roots": [root],
            }
        )


class ApiRootView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "title": "mamoru advisories",
                "description": "注意喚起の読み取り専用コレクション",
                "versions": [taxii.MEDIA_TYPE_TAXII],
                "max_content_length": MAX_CONTENT_LENGTH,
            }
        )


class CollectionsView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response({"collections": [COLLECTION]})


class CollectionView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request, collection_id: str) -> Response:
        _collection(collection_id)
        return Response(COLLECTION)


class ObjectsView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request, collection_id: str) -> Response:
        chosen = _page(request, _objects(request, collection_id))
        return Response(taxii.envelope(chosen), headers=taxii.date_headers(chosen))


class ObjectView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request, collection_id: str, object_id: str) -> Response:
        found = [o for o in _objects(request, collection_id) if o.object["id"] == object_id]
        if not found:
            raise exceptions.NotFound("no such object")
        chosen = _page(request, found)
        return Response(taxii.envelope(chosen), headers=taxii.date_headers(chosen))


class VersionsView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request, collection_id: str, object_id: str) -> Response:
        found = [o for o in _objects(request, collection_id) if o.object["id"] == object_id]
        if not found:
            raise exceptions.NotFound("no such object")
        chosen = _page(request, found)
        return Response(
            {"more": chosen.more, "versions": [o.version for o in chosen.objects]},
            headers=taxii.date_headers(chosen),
        )


class ManifestView(TaxiiView):
    @extend_schema(exclude=True)
    def get(self, request: Request, collection_id: str) -> Response:
        chosen = _page(request, _objects(request, collection_id))
        return Response(taxii.manifest(chosen), headers=taxii.date_headers(chosen))
