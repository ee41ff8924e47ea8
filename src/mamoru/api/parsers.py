"""The API's one parser: JSON, refused with 400 before parsing when it is too large or
nested too deep, and after parsing when it holds text no database can store.

DRF's ``JSONParser`` reads the whole stream (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
guards only ``request.body``, which DRF does not use) and hands it to ``json.load``,
whose recursion ends in ``RecursionError`` (a 500) on ``[[[[…]]]]`` a few thousand
levels deep. Here:

* at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes are read; a longer body is refused (DRF
  3.16 reads ``request.body`` for JSON, where Django applies that limit first:
  ``mamoru.api.exceptions`` answers both with the same 400);
* the nesting depth is measured on the raw bytes (strings removed, then a running sum
  over the brackets, all in C-speed operations and linear time, whatever the input) and
  more than ``MAX_DEPTH`` levels are refused — no report or request nests beyond a few;
* strings (keys and values) with NUL or lone surrogates are refused: they are valid
  JSON escapes (``\\u0000``, ``\\ud800``) that PostgreSQL's ``text`` and ``jsonb`` cannot
  hold, so they would otherwise fail at the database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from itertools import accumulate
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32

# A JSON string, or an unterminated one up to the end: the match never fails, so no
# input makes the engine backtrack (possessive quantifiers, Python 3.11).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def json_depth(data: bytes) -> int:
    """How deeply ``data`` (JSON text, possibly malformed) nests arrays and objects."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    # Closers before their openers make the text invalid, and the parser stops there.
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets)), default=0))


def _has_unstorable_text(value: object) -> bool:
    """Whether any string inside ``value`` (already depth-limited) holds NUL or a lone
    surrogate."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_has_unstorable_text(k) or _has_unstorable_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_unstorable_text(item) for item in value)
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with size, depth and text limits (see the module)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data: bytes = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(data) > limit:
            raise ParseError(_("本文が大きすぎます（上限 %(limit)d バイト）。") % {"limit": limit})
        if json_depth(data) > MAX_DEPTH:
            raise ParseError(
                _("JSON の入れ子が深すぎます（上限 %(depth)d 段）。") % {"depth": MAX_DEPTH}
            )
        parsed = super().parse(io.BytesIO(data), media_type, parser_context)
        if _has_unstorable_text(parsed):
            raise ParseError(
                _("文字列に使えない文字（NUL または対になっていないサロゲート）が含まれています。")
            )
        return parsed
