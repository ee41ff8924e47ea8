"""Checking an uploaded file before it is kept, and handing it back as a download.

Kept: a name without any path or control character, at most ``MAX_ATTACHMENT_BYTES``,
with an extension from the allowed list (office documents, PDF, images, archives; for
shared-back evidence also saved e-mails), and its SHA-256. Served: always as
``application/octet-stream`` with ``Content-Disposition: attachment`` (RFC 6266, the name
in RFC 5987 form for Japanese names) and ``nosniff``, so nothing uploaded is ever rendered
by the browser on the platform's origin.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import PurePath
from typing import Any, Final, Protocol
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES: Final = 10 * 1024 * 1024
MAX_ATTACHMENTS: Final = 10
DOCUMENT_EXTENSIONS: Final = frozenset(
    {
        "pdf", "txt", "csv", "md",
        "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
        "png", "jpg", "jpeg", "gif",
        "zip",
    }
)  # fmt: skip
EVIDENCE_EXTENSIONS: Final = DOCUMENT_EXTENSIONS | {"eml", "msg", "json", "log"}


class Upload(Protocol):
    """What Django's ``UploadedFile`` offers (and what tests and the API build)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = -1) -> bytes: ...


def safe_name(name: str) -> str:
    """The last component of ``name``, without control characters, at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    if len(cleaned) > 200:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[:190] + dot + ext[:9]) if dot else cleaned[:200]
    return cleaned


def attachment_fields(
    upload: Upload, *, allowed: frozenset[str] = DOCUMENT_EXTENSIONS
) -> dict[str, Any]:
    """The checked fields of an attachment model for ``upload`` (``ValidationError`` in
    Japanese when it cannot be kept)."""
    name = safe_name(upload.name or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if not name or not extension:
        raise ValidationError({"file": [_("ファイル名に拡張子（.pdf など）を付けてください。")]})
    if extension not in allowed:
        raise ValidationError(
            {
                "file": [
                    _(
                        "この種類のファイル（.%(ext)s）は添付できません。使えるのは %(allowed)s です。"
                    )
                    % {"ext": extension, "allowed": "、".join(sorted(allowed))}
                ]
            }
        )
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": [_("添付できるファイルは10MBまでです。")]})
    if not data:
        raise ValidationError({"file": [_("ファイルが空です。")]})
    return {
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": data,
    }


def download_response(name: str, data: bytes | memoryview) -> HttpResponse:
    """``data`` as a download named ``name``: never rendered by the browser."""
    response = HttpResponse(bytes(data), content_type="application/octet-stream")
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "") or "attachment"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
