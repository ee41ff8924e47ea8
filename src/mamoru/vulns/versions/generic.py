"""Upstream ("semver-ish") version ordering for products without a scheme of their own.

Every version maps to a sort key, so the order is total by construction. Tokens are runs
of digits (compared as numbers) and runs of letters (compared case-insensitively);
punctuation only separates them. Pre-release words (``alpha``, ``beta``, ``rc``…) sort
before the release they precede (``1.2.0-rc1 < 1.2.0``); other letters sort after it
(OpenSSL's ``1.1.1w > 1.1.1``). Trailing zero components are ignored (``1.2 == 1.2.0``, ``1.2.0-rc1 == 1.2-rc1``)
and so is build metadata after ``+``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mamoru.vulns.versions.evr import InvalidVersionError

PRE_RELEASE = frozenset({"alpha", "beta", "rc", "pre", "preview", "dev", "snapshot", "cr", "m"})
_TOKEN = re.compile(r"\d+|[a-zA-Z]+")

# Token ranks: a pre-release word < the end of the version < other words < numbers.
_PRE, _END, _WORD, _NUM = 0, 1, 2, 3

Token = tuple[int, int, str]


@lru_cache(maxsize=131072)  # bounds and versions repeat across a national match
def key(version: str) -> tuple[Token, ...]:
    """The sort key of an upstream version."""
    text = version.strip()
    if text[:1] in {"v", "V"} and text[1:2].isdigit():
        text = text[1:]
    text = text.split("+", 1)[0]
    if not text or not text[0].isalnum():
        raise InvalidVersionError(f"not a version: {version!r}")
    tokens: list[Token] = []
    for token in _TOKEN.findall(text):
        if token.isdigit():
            tokens.append((_NUM, int(token), ""))
        else:
            word = token.lower()
            tokens.append((_PRE if word in PRE_RELEASE else _WORD, 0, word))
    tokens.append((_END, 0, ""))
    # Zero components just before the end or a pre-release word do not count.
    kept: list[Token] = []
    for token in reversed(tokens):
        if token == (_NUM, 0, "") and kept and kept[-1][0] in {_PRE, _END}:
            continue
        kept.append(token)
    return tuple(reversed(kept))


def compare(a: str, b: str) -> int:
    ka, kb = key(a), key(b)
    return (ka > kb) - (ka < kb)
