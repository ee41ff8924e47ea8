"""OpenAPI extensions: how the schema describes mamoru's own authentication."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from mamoru.api.pagination import is_page


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "mamoru.orgs.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`mamoru token create` またはアカウント設定で発行したAPIトークン",
        }


class ErrorOut(serializers.Serializer[object]):
    detail = serializers.CharField(help_text="誤りの説明（日本語）")


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)
class _Detail(serializers.JSONField):
    pass


class ValidationErrorOut(serializers.Serializer[object]):
    """Field names mapped to lists of messages, as DRF reports invalid input; ``detail`` is a
    text when the body itself could not be read (e.g. not JSON)."""

    detail = _Detail(required=False)


# Every operation may answer these; documenting them lets clients and fuzzers rely on them.
_ERRORS: dict[str, tuple[type[serializers.Serializer[object]], str]] = {
    "400": (ValidationErrorOut, "入力に誤りがあります"),
    "401": (ErrorOut, "認証されていません"),
    "403": (ErrorOut, "権限がありません"),
    "404": (ErrorOut, "見つかりません（見る権限がない場合も同じ応答です）"),
    "405": (ErrorOut, "この操作はできません"),
    "429": (ErrorOut, "要求が多すぎます"),
}
# A write may meet a record whose state refuses it (``StateConflict``, e.g. removing the
# organisation's last administrator), or well-formed content the records refuse
# (``Unprocessable``: a date in 2062, a text of white space only, two dates out of order).
_WRITE_ERRORS: dict[str, tuple[type[serializers.Serializer[object]], str]] = {
    "409": (ErrorOut, "この状態ではこの操作はできません"),
    "422": (ValidationErrorOut, "形式は正しいが受け付けられない内容です（項目ごとの理由付き）"),
}


class MamoruAutoSchema(AutoSchema):
    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors = _ERRORS if self.method == "GET" else {**_ERRORS, **_WRITE_ERRORS}
        for code, (serializer, description) in errors.items():
            if code not in responses:
                response = OpenApiResponse(response=serializer, description=description)
                responses[code] = self._get_response_for_code(response, code, direction=direction)  # type: ignore[no-untyped-call]
        return responses

    def get_operation_id(self) -> str:
        """drf-spectacular's name, with ``list`` for a paged list: an ``APIView`` that
        answers ``page_of(…)`` is otherwise named ``retrieve`` like the detail beside it,
        and the two names collide."""
        operation_id: str = super().get_operation_id()
        if self.method == "GET" and is_page(self.get_response_serializers()):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id
