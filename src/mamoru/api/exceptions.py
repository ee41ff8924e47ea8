"""One exception handler for the whole REST API: the domain's errors become the same
statuses everywhere (``mamoru.core.exceptions``), with Japanese ``detail``.

* ``ObjectDoesNotExist`` from a selector → 404, as if the object did not exist;
* ``PermissionDenied`` from a service → 403;
* ``StateConflict`` → 409, ``Unprocessable`` → 422 (keeping the field keys);
* any other ``ValidationError`` → 400 (keeping the field keys);
* a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 400 (``mamoru.api.parsers`` refuses one
  nested too deep).

API views therefore call selectors and services directly: no try/except of their own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mamoru.core.exceptions import StateConflict, Unprocessable


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "この状態ではこの操作はできません"


class UnprocessableContent(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "内容に矛盾があります"


def _detail(exc: DjangoValidationError) -> Any:
    return exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}


def _translate_request(exc: Exception) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        # Django's own limit, met when DRF reads ``request.body`` for the JSON parser.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return exceptions.ParseError(
            _("本文が大きすぎます（上限 %(limit)d バイト）。") % {"limit": limit}
        )
    return exc


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound(_("見つかりません。"))
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or _("この操作をする権限がありません。"))
    if isinstance(exc, StateConflict):
        return Conflict({"detail": " ".join(exc.messages)})
    if isinstance(exc, Unprocessable):
        return UnprocessableContent(_detail(exc))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_detail(exc))
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, after mapping the domain's exceptions to API exceptions."""
    return drf_exception_handler(_translate(_translate_request(exc)), context)
