"""RPM version ordering: ``rpmvercmp`` (rpm ≥ 4.15, with ``~`` and ``^``) and EVR.

``~`` sorts before anything (pre-releases: ``1.0~rc1 < 1.0``); ``^`` sorts after the end
of the string but before any further segment (snapshots: ``1.0 < 1.0^git1 < 1.0.1``).
Other non-alphanumeric characters only separate segments. A numeric segment is newer
than an alphabetic one.
"""

from __future__ import annotations

from dataclasses import dataclass

from mamoru.vulns.versions.evr import InvalidVersionError, split_evr


@dataclass(frozen=True, slots=True)
class Evr:
    epoch: int
    version: str
    release: str


def parse(evr: str) -> Evr:
    """Split ``[epoch:]version[-release]`` (the release follows the last hyphen)."""
    epoch, version, release = split_evr(evr, scheme="an RPM")
    if not version:
        raise InvalidVersionError(f"empty version in {evr!r}")
    return Evr(epoch, version, release)


def _isalnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _skip_separators(text: str, pos: int) -> int:
    while pos < len(text) and not _isalnum(text[pos]) and text[pos] not in "~^":
        pos += 1
    return pos


def _segment_end(text: str, pos: int, numeric: bool) -> int:
    while pos < len(text) and text[pos].isascii():
        char = text[pos]
        if not (char.isdigit() if numeric else char.isalpha()):
            break
        pos += 1
    return pos


def _special(a: str, i: int, b: str, j: int) -> int | None:
    """Handle ``~`` and ``^`` at the current positions: a result, 0 to go on, None if absent."""
    ca, cb = a[i : i + 1], b[j : j + 1]
    if "~" in (ca, cb):
        # "~" sorts before everything, the end of the string included.
        return {(True, True): 0, (False, True): 1, (True, False): -1}[(ca == "~", cb == "~")]
    if "^" in (ca, cb):
        # "^" sorts after the end of the string but before any other segment.
        if not ca or not cb:
            return -1 if not ca else 1
        return {(True, True): 0, (False, True): 1, (True, False): -1}[(ca == "^", cb == "^")]
    return None


def _compare_segment(sa: str, sb: str, numeric: bool) -> int:
    if numeric:
        sa, sb = sa.lstrip("0"), sb.lstrip("0")
        if len(sa) != len(sb):
            return -1 if len(sa) < len(sb) else 1
    if sa != sb:
        return -1 if sa < sb else 1
    return 0


def rpmvercmp(a: str, b: str) -> int:
    """rpm's comparison of one version or release string: -1, 0 or 1."""
    if a == b:
        return 0
    i = j = 0
    while i < len(a) or j < len(b):
        i, j = _skip_separators(a, i), _skip_separators(b, j)
        special = _special(a, i, b, j)
        if special is not None:
            if special:
                return special
            i, j = i + 1, j + 1
            continue
        if i >= len(a) or j >= len(b):
            break
        numeric = a[i].isdigit()
        ei, ej = _segment_end(a, i, numeric), _segment_end(b, j, numeric)
        if ej == j:
            # Segments of different types: the numeric one is newer.
            return 1 if numeric else -1
        result = _compare_segment(a[i:ei], b[j:ej], numeric)
        if result:
            return result
        i, j = ei, ej
    if i >= len(a) and j >= len(b):
        return 0
    return -1 if i >= len(a) else 1


def compare(a: str, b: str) -> int:
    """Compare two ``[epoch:]version[-release]`` strings like ``rpm.labelCompare``."""
    va, vb = parse(a), parse(b)
    if va.epoch != vb.epoch:
        return -1 if va.epoch < vb.epoch else 1
    # A missing release sorts first (as in ``rpm.labelCompare``); matching code that must
    # treat "no release known" as "any release" strips the release itself.
    return rpmvercmp(va.version, vb.version) or rpmvercmp(va.release, vb.release)
