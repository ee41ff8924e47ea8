"""Text a server repeats from our own request is never evidence of what the server is.

Error pages, proxies and soft-404 pages repeat what they were asked: Squid's error page
shows the requested URL, Apache's 404 the path, many pages the Host or the User-Agent. A
probe for ``/dana-na/…`` that comes back inside such a page must not read as the Ivanti
portal's own ``/dana-na/`` marker. So every rule that reads a response is given the
request's :class:`Echo`:

* :meth:`Echo.scrub` blanks every repetition of a request part (the request target, its
  path, the Host value, the host name and address, the User-Agent), in the encodings a
  page repeats them in (as sent, percent-decoded and -encoded, HTML- and JSON-escaped,
  any letter case), before a pattern runs;
* :meth:`Echo.explains` rejects a match whose text is wholly a piece of what we sent (a
  page that repeats only part of the path, or cuts it short): it could have come from us.

Parts shorter than :data:`MIN_FRAGMENT` characters are left alone (``/`` repeated proves
nothing and blanking it would blank every tag).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote, unquote_plus

__all__ = ["MIN_FRAGMENT", "NO_ECHO", "Echo"]

MIN_FRAGMENT = 4
_BLANK = "\x00"  # never part of a pattern's text, so no match runs across a blanked echo


def _variants(fragment: str) -> set[str]:
    """The spellings in which a page may repeat ``fragment``."""
    variants = {fragment, unquote(fragment), unquote_plus(fragment)}
    for text in list(variants):
        variants |= {
            quote(text, safe="/"),
            quote(text, safe="/?=&:;,+"),
            quote(text, safe=""),
            html.escape(text),
            html.escape(text, quote=False),
            text.replace("/", "\\/"),
        }
    return variants


class Echo:
    """The parts of one request that a response might repeat."""

    __slots__ = ("_bytes_pattern", "_forms", "_pattern")

    def __init__(self, fragments: Iterable[str]) -> None:
        forms: set[str] = set()
        for fragment in fragments:
            for variant in _variants(fragment):
                if len(variant) >= MIN_FRAGMENT:
                    forms.add(variant.lower())
        # longest first, so a whole URL is blanked before the path inside it
        self._forms = tuple(sorted(forms, key=lambda form: (-len(form), form)))
        alternation = "|".join(re.escape(form) for form in self._forms)
        self._pattern = re.compile(alternation, re.IGNORECASE) if forms else None
        self._bytes_pattern = (
            re.compile(alternation.encode("utf-8"), re.IGNORECASE) if forms else None
        )

    @classmethod
    def of_http(
        cls,
        target: str,
        *,
        host: str,
        user_agent: str,
        ip: str | None = None,
        hostname: str | None = None,
    ) -> Echo:
        """The echo of one HTTP request: its target (and path alone), Host, name, address, UA."""
        path = target.split("?", 1)[0]
        parts = [target, path, host, user_agent, *(p for p in (ip, hostname) if p)]
        return cls(parts)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every spelling that is blanked, lower case, longest first."""
        return self._forms

    def scrub(self, text: str) -> str:
        """``text`` with every repetition of the request blanked out."""
        return text if self._pattern is None else self._pattern.sub(_BLANK, text)

    def scrub_bytes(self, data: bytes) -> bytes:
        """:meth:`scrub` for a raw body."""
        if self._bytes_pattern is None:
            return data
        return self._bytes_pattern.sub(_BLANK.encode(), data)

    def explains(self, matched: str | bytes) -> bool:
        """Whether ``matched`` could be nothing but a piece of what we sent."""
        text = matched.decode("latin-1") if isinstance(matched, bytes) else matched
        text = text.strip().lower()
        return not text or any(text in form for form in self._forms)


NO_ECHO = Echo(())
"""The echo of a request that sent nothing a response could repeat (e.g. a bare connect)."""
