from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

if TYPE_CHECKING:  # DRF's views import the default pagination class: no cycle at run time
    from rest_framework.views import APIView


def _whole_number(request: Request, name: str, default: int | None) -> int | None:
    values = request.query_params.getlist(name)
    if not values:
        return default
    if len(values) > 1 or not values[0].isdigit():
        raise ValidationError({name: ["0以上の整数を一つ指定してください"]})
    return int(values[0])


_BOUNDS = "limit は1から{max}まで、offset は0以上の整数です"


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Like DRF's, but a malformed ``limit`` or ``offset`` is a 400, not silently ignored."""

    max_limit = 2000

    def get_limit(self, request: Request) -> int | None:
        limit = _whole_number(request, self.limit_query_param, self.default_limit)
        if limit is None:
            return None
        if not 1 <= limit <= self.max_limit:
            raise ValidationError({self.limit_query_param: [_BOUNDS.format(max=self.max_limit)]})
        return limit

    def get_offset(self, request: Request) -> int:
        return _whole_number(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, object]]:
        parameters: list[dict[str, object]] = super().get_schema_operation_parameters(view)
        minimum = {self.limit_query_param: 1, self.offset_query_param: 0}
        for parameter in parameters:
            schema = parameter["schema"]
            assert isinstance(schema, dict)
            schema["minimum"] = minimum[str(parameter["name"])]
            if parameter["name"] == self.limit_query_param:
                schema["maximum"] = self.max_limit
        return parameters


# Every list the API answers is paged the same way: ``?limit=&offset=``, and the envelope
# ``{"count", "next", "previous", "results"}``. ``paginated`` does it for an APIView;
# ``page_of`` documents it in the schema; ``PAGE_PARAMETERS`` are the query parameters.
PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": StrictLimitOffsetPagination.max_limit},
        OpenApiParameter.QUERY,
        description=f"1ページの件数（1〜{StrictLimitOffsetPagination.max_limit}）",
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0},
        OpenApiParameter.QUERY,
        description="先頭から飛ばす件数",
    ),
]

_PAGES: dict[str, type[serializers.Serializer[Any]]] = {}


def page_of(item: type[serializers.Serializer[Any]]) -> type[serializers.Serializer[Any]]:
    """The paged envelope of ``item`` for the schema (one class per item serializer)."""
    name = f"Paginated{item.__name__}List"
    if name not in _PAGES:
        _PAGES[name] = type(
            name,
            (serializers.Serializer,),
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": item(many=True),
            },
        )
    return _PAGES[name]


def is_page(serializer: object) -> bool:
    """Whether ``serializer`` is a paged envelope made by ``page_of``."""
    return isinstance(serializer, type) and _PAGES.get(serializer.__name__) is serializer


def paginated(
    request: Request,
    view: APIView,
    items: Sequence[Any] | QuerySet[Any],
    present: Callable[[list[Any]], Any],
) -> Response:
    """One page of ``items``, each page's rows turned into data by ``present``."""
    paginator = StrictLimitOffsetPagination()
    paginator.default_limit = api_settings.PAGE_SIZE
    page = paginator.paginate_queryset(items, request, view=view) or []
    return paginator.get_paginated_response(present(list(page)))
