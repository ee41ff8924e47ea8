"""The interface every importer implements, and helpers they share."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from mamoru.vulns.importers.feed import Entry, FeedError
from mamoru.vulns.importers.records import Record

CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,}$")


class Importer(Protocol):
    """Turns a feed (file, directory, zip) into records. Parsing only: no database."""

    source: str  # the name used on the command line: "cve5", "nvd", ...
    description: str

    def parse(self, path: Path) -> Iterator[Record]:
        """Yield the feed's records; raise ``FeedError`` naming the entry and record."""
        ...


def load_json(entry: Entry) -> Any:
    try:
        return json.loads(entry.read())
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(entry.name, f"not valid JSON: {error}") from None
    except OSError as error:
        raise FeedError(entry.name, f"cannot read: {error}") from None


def require(mapping: Any, key: str, where: str, record: str | None = None) -> Any:
    """A required member of a JSON object, or a ``FeedError`` saying which is missing."""
    if not isinstance(mapping, Mapping):
        raise FeedError(where, f"expected an object holding {key!r}", record)
    if key not in mapping or mapping[key] in (None, ""):
        raise FeedError(where, f"missing {key!r}", record)
    return mapping[key]


def require_cve_id(value: object, where: str) -> str:
    text = str(value or "").strip().upper()
    if not CVE_ID.match(text):
        raise FeedError(where, f"not a CVE id: {value!r}")
    return text


def as_list(value: object, what: str, where: str, record: str | None = None) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FeedError(where, f"{what} must be a list", record)
    return value
