from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
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
