"""TAXII 2.1 collection semantics, without HTTP: the filters (``added_after``,
``match[id|type|version|spec_version]``) and the paging (``limit``, ``next``) of the
"Get Objects", "Get an Object", "Get Object Versions" and "Get Object Manifests"
endpoints (OASIS TAXII Version 2.1, §3.4–3.6 and §5.3–5.8). The HTTP side is
``advisories/api/taxii.py``.

The collection holds one version of each object (advisories are updated in place and
their ``modified`` changes), so ``match[version]`` of ``first``, ``last`` or ``all``
selects it, and a timestamp selects it when it is that version. Paging is by position
in the collection's order (date added, then id); ``next`` is that position, opaque to
clients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from mamoru.advisories.selectors import TaxiiObject

MEDIA_TYPE_TAXII: Final = "application/taxii+json;version=2.1"
MEDIA_TYPE_STIX: Final = "application/stix+json;version=2.1"
DEFAULT_LIMIT: Final = 100
MAX_LIMIT: Final = 1000
VERSION_KEYWORDS: Final = frozenset({"first", "last", "all"})


class FilterError(ValueError):
    """A filter or paging parameter the server cannot apply (HTTP 400)."""


def timestamp(moment: datetime) -> str:
    """A TAXII timestamp: UTC, microseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise FilterError(f"not a timestamp: {text!r}") from error
    if parsed.tzinfo is None:
        raise FilterError(f"a timestamp needs a time zone (Z): {text!r}")
    return parsed


def _values(params: Mapping[str, str], name: str) -> list[str]:
    return [v for v in params.get(name, "").split(",") if v]


def _version_matches(obj: TaxiiObject, wanted: list[str]) -> bool:
    if not wanted or VERSION_KEYWORDS & set(wanted):
        return True
    return any(parse_timestamp(w) == parse_timestamp(obj.version) for w in wanted)


def matching(objects: Sequence[TaxiiObject], params: Mapping[str, str]) -> list[TaxiiObject]:
    """The objects that pass every filter of ``params`` (the request's query)."""
    found = list(objects)
    if params.get("added_after"):
        after = parse_timestamp(params["added_after"])
        found = [o for o in found if o.date_added > after]
    ids = set(_values(params, "match[id]"))
    if ids:
        found = [o for o in found if o.object["id"] in ids]
    types = set(_values(params, "match[type]"))
    if types:
        found = [o for o in found if o.object["type"] in types]
    versions = _values(params, "match[version]")
    found = [o for o in found if _version_matches(o, versions)]
    specs = set(_values(params, "match[spec_version]"))
    if specs:
        found = [o for o in found if o.object.get("spec_version", "2.1") in specs]
    return found


@dataclass(frozen=True)
class Page:
    objects: list[TaxiiObject]
    more: bool
    next: str


def page(objects: Sequence[TaxiiObject], params: Mapping[str, str]) -> Page:
    """One page of ``objects``: ``limit`` of them (capped) from the ``next`` position."""
    limit_text = params.get("limit", "")
    if limit_text and not limit_text.isdigit():
        raise FilterError("limit must be a positive integer")
    limit = min(int(limit_text or DEFAULT_LIMIT), MAX_LIMIT)
    if limit < 1:
        raise FilterError("limit must be a positive integer")
    start_text = params.get("next", "0") or "0"
    if not start_text.isdigit():
        raise FilterError("next is not a value this server gave")
    start = int(start_text)
    chosen = list(objects[start : start + limit])
    more = start + limit < len(objects)
    return Page(chosen, more, str(start + limit) if more else "")


def envelope(chosen: Page) -> dict[str, object]:
    body: dict[str, object] = {"more": chosen.more}
    if chosen.more:
        body["next"] = chosen.next
    if chosen.objects:
        body["objects"] = [o.object for o in chosen.objects]
    return body


def manifest(chosen: Page) -> dict[str, object]:
    body: dict[str, object] = {"more": chosen.more}
    if chosen.more:
        body["next"] = chosen.next
    if chosen.objects:
        body["objects"] = [
            {
                "id": o.object["id"],
                "date_added": timestamp(o.date_added),
                "version": o.version,
                "media_type": MEDIA_TYPE_STIX,
            }
            for o in chosen.objects
        ]
    return body


def date_headers(chosen: Page) -> dict[str, str]:
    """``X-TAXII-Date-Added-First`` and ``-Last`` of a page (none for an empty page)."""
    if not chosen.objects:
        return {}
    return {
        "X-TAXII-Date-Added-First": timestamp(chosen.objects[0].date_added),
        "X-TAXII-Date-Added-Last": timestamp(chosen.objects[-1].date_added),
    }
