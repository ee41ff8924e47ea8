"""The library's objects for the frameworks and snapshots stored in the database.

A stored framework is its YAML document; parsing and building a ``Scorer`` take tens of
milliseconds, so each is kept per process, keyed by the document's SHA-256 (a changed
document is a new key, never a stale object). The same holds for the peer statistics of
a snapshot: computed once per process from the frozen document, whose digest the library
checks when it reads it back.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from typing import Any

from mamoru.assessments.library import (
    Framework,
    PeerSnapshot,
    PeerStatistics,
    Scorer,
    default_catalogue,
    parse_framework,
)
from mamoru.assessments.library.csf import CsfCatalogue


def digest_of(text: str) -> str:
    """The SHA-256 of a document, as stored beside it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=16)
def _parsed(digest: str, text: str) -> tuple[Framework, Scorer]:
    framework = parse_framework(text, source=digest[:12])
    return framework, Scorer(framework)


def definition(stored: Any) -> Framework:
    """The library ``Framework`` of a stored ``models.Framework``."""
    return _parsed(stored.digest, stored.document)[0]


def scorer(stored: Any) -> Scorer:
    """The (shared, immutable) ``Scorer`` of a stored framework."""
    return _parsed(stored.digest, stored.document)[1]


def catalogue() -> CsfCatalogue:
    """The NIST CSF 2.0 names every mapping refers to."""
    return default_catalogue()


_STATISTICS: dict[str, PeerStatistics] = {}
_STATISTICS_KEPT = 8


def statistics_of(
    digest: str, document: Mapping[str, Any], *, frozen: PeerSnapshot | None = None
) -> PeerStatistics:
    """The peer statistics of a stored snapshot, computed once per process; ``frozen`` is
    the snapshot itself when the caller has just made it (no need to read it back)."""
    found = _STATISTICS.get(digest)
    if found is None:
        found = PeerStatistics(frozen if frozen is not None else PeerSnapshot.from_dict(document))
        if len(_STATISTICS) >= _STATISTICS_KEPT:
            _STATISTICS.pop(next(iter(_STATISTICS)))
        _STATISTICS[digest] = found
    return found
