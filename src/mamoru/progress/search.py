"""Japanese text search by character bigrams, the same on SQLite and PostgreSQL.

Japanese is written without spaces, so word indexes miss 「ランサム」 inside
「ランサムウェア」. Every searchable text is normalised (:func:`normalise`) and cut into
overlapping two-character grams (:func:`bigrams`), stored in a plain indexed table; a
query term matches an entry that has every gram of the term and, checked after, contains
the whole normalised term (grams alone would match 「サム…ラン」). No database extension
is needed (PostgreSQL's pg_trgm and pg_bigm would be; SQLite's FTS5 has no bigram
tokeniser without a build option), so the platform installs nothing for it.

Normalisation (NFKC, case folded, hiragana to katakana, small kana to full size, spaces
squeezed) lets 「らんさむ」, 「ﾗﾝｻﾑ」 and 「ランサム」 find the same entries, and 「ウエア」
find 「ウェア」. No Django here.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_HIRAGANA_TO_KATAKANA: Final = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_SMALL_KANA: Final = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_SEPARATORS: Final = re.compile(r"[\s、。，．,.・／/（）()「」『』【】\[\]!?！？:：;；\"'“”‘’]+")


def normalise(text: str) -> str:
    """``text`` in the form every index and query uses."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.translate(_HIRAGANA_TO_KATAKANA).translate(_SMALL_KANA)
    return " ".join(_SEPARATORS.sub(" ", folded).split())


def terms(query: str) -> list[str]:
    """The terms of a query: its normalised words, each to be found."""
    return list(dict.fromkeys(normalise(query).split()))


def bigrams(text: str) -> set[str]:
    """The two-character grams of each word of normalised ``text`` (none for one character)."""
    grams: set[str] = set()
    for word in normalise(text).split():
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return grams
