"""Debian package version ordering, as ``dpkg --compare-versions`` does it.

A version is ``[epoch:]upstream[-revision]``; the revision is whatever follows the last
hyphen. Each part is compared by dpkg's ``verrevcmp``: alternating runs of non-digits
(compared character by character, where ``~`` sorts before everything, even the end of
the string, and letters sort before other characters) and runs of digits (compared as
numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

from mamoru.vulns.versions.evr import InvalidVersionError, split_evr

__all__ = ["DebianVersion", "InvalidVersionError", "compare", "parse", "verrevcmp"]


@dataclass(frozen=True, slots=True)
class DebianVersion:
    epoch: int
    upstream: str
    revision: str

    def __str__(self) -> str:
        text = f"{self.epoch}:{self.upstream}" if self.epoch else self.upstream
        return f"{text}-{self.revision}" if self.revision else text


def parse(version: str) -> DebianVersion:
    """Split a Debian version into epoch, upstream version and revision."""
    epoch, upstream, revision = split_evr(version, scheme="a Debian")
    if not upstream or not upstream[0].isdigit():
        raise InvalidVersionError(f"upstream version must start with a digit in {version!r}")
    return DebianVersion(epoch, upstream, revision)


def _order(char: str) -> int:
    if char == "~":
        return -1
    if char.isascii() and char.isalpha():
        return ord(char)
    return ord(char) + 256


def _nondigit_cmp(a: str, b: str) -> int:
    # Compare with the end of the string weighing 0: "~" (-1) sorts before it.
    for i in range(max(len(a), len(b))):
        oa = _order(a[i]) if i < len(a) else 0
        ob = _order(b[i]) if i < len(b) else 0
        if oa != ob:
            return -1 if oa < ob else 1
    return 0


def _split_run(text: str, pos: int, digits: bool) -> int:
    while pos < len(text) and text[pos].isdigit() == digits:
        pos += 1
    return pos


def verrevcmp(a: str, b: str) -> int:
    """dpkg's comparison of one part (upstream or revision): -1, 0 or 1."""
    i = j = 0
    while i < len(a) or j < len(b):
        ei, ej = _split_run(a, i, False), _split_run(b, j, False)
        result = _nondigit_cmp(a[i:ei], b[j:ej])
        if result:
            return result
        i, j = ei, ej
        ei, ej = _split_run(a, i, True), _split_run(b, j, True)
        na = int(a[i:ei]) if ei > i else 0
        nb = int(b[j:ej]) if ej > j else 0
        if na != nb:
            return -1 if na < nb else 1
        i, j = ei, ej
    return 0


def compare(a: str, b: str) -> int:
    """Compare two Debian versions: negative, zero or positive like ``cmp``."""
    va, vb = parse(a), parse(b)
    if va.epoch != vb.epoch:
        return -1 if va.epoch < vb.epoch else 1
    return verrevcmp(va.upstream, vb.upstream) or verrevcmp(va.revision, vb.revision)
