"""Rapid7 Recog's fingerprint databases as a second rule source, behind the project's own.

Recog (https://github.com/rapid7/recog, Copyright (c) 2014-2015, Rapid7; BSD-2-Clause)
names thousands of products from banners, HTTP headers, page titles, favicons and
certificate subjects. Its XML is **never copied into this repository**: the operator
points the engine at a directory holding the databases (``mamoru scan --recog-dir DIR``,
``$MAMORU_RECOG_DIR``, or :func:`load_recog` from the platform), the way vulnerability
feeds are imported from files, and they are read at run time.

The project's YAML rules always come first: Recog is asked only about a piece of text
ours named nothing in (or named a product without a version — then only Recog's version
*of the same product* is taken). Every identification that used Recog says so
(``Service.source == "recog"``), and a report that contains one carries Recog's licence
notice (:data:`ATTRIBUTION`).

Recog's patterns are Ruby regular expressions; :func:`translate` rewrites the few
constructs Python spells differently and a pattern Python still cannot compile is skipped
and counted (``RecogDatabase.skipped``), never guessed at. A fingerprint whose certainty is
0 ("assert nothing") matches and names nothing, as in Recog.
"""

from __future__ import annotations

import base64
import contextvars
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mamoru.asm.engine.echo import Echo
from mamoru.asm.engine.identify.rules import Rule, RuleMatch, cpe_name
from mamoru.asm.engine.model import SOURCE_NOTICES

__all__ = [
    "ATTRIBUTION",
    "DATABASES",
    "RECOG_EXTRAS",
    "RecogDatabase",
    "RecogError",
    "RecogExample",
    "RecogFingerprint",
    "active",
    "load_recog",
    "read_examples",
    "translate",
]

ATTRIBUTION = SOURCE_NOTICES["recog"]

# Recog database (file stem) → the rule source of ours that reads the same text.
DATABASES: dict[str, str] = {
    "ssh_banners": "ssh",
    "ftp_banners": "ftp",
    "smtp_banners": "smtp",
    "imap_banners": "imap",
    "pop_banners": "pop3",
    "telnet_banners": "telnet",
    "mysql_banners": "mysql",
    "dns_versionbind": "dns",
    "http_servers": "http.server",
    "html_title": "http.title",
    "http_wwwauth": "http.wwwauth",
    "favicons": "http.favicon",
    "x509_subjects": "x509.subject",
}

# Recog's flag names are Ruby's: MULTILINE there is Python's DOTALL.
_FLAGS = {
    "REG_ICASE": re.IGNORECASE,
    "REG_DOT_NEWLINE": re.DOTALL,
    "REG_MULTILINE": re.DOTALL,
    "REG_LINE_ANY_CRLF": re.DOTALL,
}
_GROUPS = ("service", "os", "hw")
RECOG_EXTRAS = ("os", "os_version", "hardware", "device_type", "recog_certainty")
"""The ``extra`` keys a Recog match may add."""  # what the banner identifies, in Recog's own order
_INLINE_FLAGS = re.compile(r"\(\?([imx]+)\)")
_REFERENCE = re.compile(r"\{([\w.]+)\}")
_CPE_URI = re.compile(r"^cpe:/([aoh]):([^:]+):([^:]+)")


class RecogError(ValueError):
    """A Recog directory that cannot be used; the message says why."""


def _inline(found: re.Match[str]) -> str:
    # Ruby's (?m) is Python's (?s); Ruby has no (?m) in Python's sense
    return "(?" + found.group(1).replace("m", "s") + ")"


def translate(pattern: str) -> str:
    """Rewrite a Recog (Ruby) pattern in Python's dialect."""
    text = _INLINE_FLAGS.sub(_inline, pattern)
    text = text.replace(r"\Z", r"(?=\n?\Z)").replace(r"\z", r"\Z")
    text = text.replace(r"\h", "[0-9a-fA-F]").replace(r"\H", "[^0-9a-fA-F]")
    text = re.sub(r"\(\?<(?![=!])", "(?P<", text)
    # a Ruby inline flag group in the middle applies from there on; Python wants it first
    if text.startswith("^(?") and _INLINE_FLAGS.match(text, 1):
        end = text.index(")", 1) + 1
        text = text[1:end] + "^" + text[end:]
    return text


# A repeated group whose whole content is one repeated atom, "(.+)*", "(\w+)+": on a text
# it does not match, Python's backtracking tries exponentially many splits (a hostile
# banner could stall the scan). Such patterns are skipped and counted, never run.
_NESTED_REPEAT = re.compile(r"\((?:\?:)?(?:\.|\\[wWsSdD]|\[[^\]]*\])[+*]\)[*+{]")


def compile_pattern(pattern: str, flags: str) -> re.Pattern[str] | None:
    """Compile a Recog pattern as Ruby would run it (``^``/``$`` at every line).

    ``None`` for a pattern Python cannot compile, or one that could backtrack without end.
    """
    if _NESTED_REPEAT.search(pattern):
        return None
    bits = re.MULTILINE
    for name in flags.replace("|", ",").split(","):
        bits |= _FLAGS.get(name.strip(), 0)
    try:
        return re.compile(translate(pattern), bits)
    except re.error:
        return None


@dataclass(frozen=True, slots=True)
class RecogFingerprint:
    """One ``<fingerprint>`` of a Recog database, compiled."""

    database: str
    index: int  # position in its file: Recog's own order, first match wins
    description: str
    pattern: re.Pattern[str]
    params: tuple[tuple[str, int, str | None], ...]  # (name, group position, fixed value)
    rule: Rule

    def values(
        self, found: re.Match[str], text_attrs: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """Recog's named values for one match, ``{name}`` references filled in."""
        values: dict[str, str] = {}
        for name, position, value in self.params:
            if position == 0 and value is not None:
                values[name] = value
            elif 0 < position <= (self.pattern.groups or 0) and found.group(position):
                values[name] = found.group(position).strip()
        values.update(text_attrs or {})
        for name, template in list(values.items()):
            values[name] = _REFERENCE.sub(lambda ref: values.get(ref.group(1), ""), template)
        return values

    def certain(self, values: Mapping[str, str]) -> bool:
        """False for Recog's "assert nothing" fingerprints (certainty 0)."""
        return all(values.get(f"{group}.certainty", "1") not in ("0", "0.0") for group in _GROUPS)


def _cpe_base(uri: str) -> str | None:
    found = _CPE_URI.match(uri)
    if found is None:
        return None
    base = ":".join(part.lower() for part in found.groups())
    return base if re.fullmatch(r"[aoh]:[a-z0-9_\-.!~%]+:[a-z0-9_\-.!~%]+", base) else None


def _fields(values: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The group that names the thing (service, else os, else hw) and its extras."""
    group = next((g for g in _GROUPS if values.get(f"{g}.product")), None)
    group = group or next((g for g in _GROUPS if values.get(f"{g}.vendor")), "service")
    extra: dict[str, str] = {}
    if group != "os" and values.get("os.product"):
        extra["os"] = " ".join(filter(None, (values.get("os.vendor"), values["os.product"])))
        if values.get("os.version"):
            extra["os_version"] = values["os.version"]
    if group != "hw" and values.get("hw.product"):
        extra["hardware"] = " ".join(filter(None, (values.get("hw.vendor"), values["hw.product"])))
    device = values.get("hw.device") or values.get("os.device")
    if device:
        extra["device_type"] = device
    certainty = values.get(f"{group}.certainty")
    if certainty and certainty not in ("1", "1.0"):
        extra["recog_certainty"] = certainty
    return group, extra


def to_match(fingerprint: RecogFingerprint, found: re.Match[str]) -> RuleMatch | None:
    """What a Recog fingerprint says about a matched text, as one of our rule matches."""
    values = fingerprint.values(found)
    if not fingerprint.certain(values):
        return None
    group, extra = _fields(values)
    version = values.get(f"{group}.version") or None
    base = _cpe_base(values.get(f"{group}.cpe23", ""))
    return RuleMatch(
        rule=fingerprint.rule,
        product=values.get(f"{group}.product") or None,
        vendor=values.get(f"{group}.vendor") or None,
        version=version,
        cpe=cpe_name(base, version) if base else None,
        extra=extra,
        matched=found.group(0),
    )


_LITERALS = re.compile(r"^\^(?:\(\?:)?([0-9a-fA-F]+(?:\|[0-9a-fA-F]+)*)\)?\$?$")


def literals(fingerprint: RecogFingerprint) -> tuple[str, ...] | None:
    """The exact texts a fingerprint matches, when its pattern is only a list of hashes."""
    found = _LITERALS.match(fingerprint.pattern.pattern)
    if found is None or fingerprint.pattern.flags & re.IGNORECASE:
        return None
    return tuple(found.group(1).split("|"))


@dataclass(slots=True)
class RecogDatabase:
    """The Recog fingerprints loaded from one directory, by our rule source."""

    directory: Path
    by_source: dict[str, list[RecogFingerprint]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # patterns Python cannot compile
    # sources whose every fingerprint is a list of hashes (favicons): looked up, not searched
    exact: dict[str, dict[str, RecogFingerprint]] = field(default_factory=dict)

    def index(self) -> None:
        """Index the sources made only of exact hashes (Recog's favicon MD5s)."""
        for source, fingerprints in self.by_source.items():
            table: dict[str, RecogFingerprint] = {}
            for fingerprint in fingerprints:
                texts = literals(fingerprint)
                if texts is None:
                    break
                for text in texts:
                    table.setdefault(text, fingerprint)
            else:
                self.exact[source] = table

    @property
    def count(self) -> int:
        """How many fingerprints are in use."""
        return sum(len(fps) for fps in self.by_source.values())

    def fingerprints(self, source: str) -> list[RecogFingerprint]:
        return list(self.by_source.get(source, ()))

    def match(self, source: str, text: str, echo: Echo | None = None) -> RuleMatch | None:
        """Recog's answer for ``text`` read as ``source``: its first matching fingerprint.

        With ``echo``, repetitions of our request are blanked first and a match that is
        only a piece of it is passed over (see :mod:`mamoru.asm.engine.echo`).
        """
        table = self.exact.get(source)
        if table is not None:
            hit = table.get(text.strip())
            found = hit.pattern.search(text.strip()) if hit is not None else None
            return to_match(hit, found) if hit is not None and found is not None else None
        if echo is not None:
            text = echo.scrub(text)
        for fingerprint in self.by_source.get(source, ()):
            for found in fingerprint.pattern.finditer(text):
                if echo is None or not echo.explains(found.group(0)):
                    return to_match(fingerprint, found)
        return None


_ACTIVE: contextvars.ContextVar[RecogDatabase | None] = contextvars.ContextVar(
    "mamoru_recog", default=None
)


def active() -> RecogDatabase | None:
    """The Recog database the identification running in this task may consult."""
    return _ACTIVE.get()


def activate(database: RecogDatabase | None) -> contextvars.Token[RecogDatabase | None]:
    """Let the identification in this task (and the tasks it starts) consult ``database``."""
    return _ACTIVE.set(database)


def deactivate(token: contextvars.Token[RecogDatabase | None]) -> None:
    _ACTIVE.reset(token)


def _params(element: ET.Element) -> tuple[tuple[str, int, str | None], ...]:
    return tuple(
        (p.get("name", ""), int(p.get("pos", "0") or 0), p.get("value"))
        for p in element.findall("param")
    )


def read_fingerprints(path: Path, source: str) -> tuple[list[RecogFingerprint], int]:
    """The compiled fingerprints of one database file, and how many could not compile."""
    database = path.stem
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - the operator's own data files
    except (ET.ParseError, OSError) as error:
        raise RecogError(f"{path}: not a readable Recog database ({error})") from None
    found: list[RecogFingerprint] = []
    skipped = 0
    for index, element in enumerate(root.iter("fingerprint")):
        pattern = compile_pattern(element.get("pattern", ""), element.get("flags", ""))
        if pattern is None:
            skipped += 1
            continue
        description = " ".join((element.findtext("description") or "").split())
        rule = Rule(id=f"recog:{database}:{index}", source=source, pattern=pattern, origin="recog")
        found.append(RecogFingerprint(database, index, description, pattern,
                                      _params(element), rule))  # fmt: skip
    return found, skipped


def load_recog(directory: Path | str) -> RecogDatabase:
    """Load the Recog databases the engine uses from ``directory`` (see :data:`DATABASES`).

    Raises :class:`RecogError` when the directory holds none of them.
    """
    path = Path(directory)
    if not path.is_dir():
        raise RecogError(f"Recog directory {str(path)!r} does not exist")
    database = RecogDatabase(path)
    for name, source in DATABASES.items():
        file = path / f"{name}.xml"
        if not file.is_file():
            continue
        fingerprints, skipped = read_fingerprints(file, source)
        database.by_source.setdefault(source, []).extend(fingerprints)
        database.skipped[name] = skipped
    if not database.by_source:
        wanted = ", ".join(f"{name}.xml" for name in DATABASES)
        raise RecogError(f"no Recog database in {str(path)!r} (looked for {wanted})")
    database.index()
    return database


@dataclass(frozen=True, slots=True)
class RecogExample:
    """One ``<example>`` of a Recog database and the values Recog expects from it."""

    database: str
    text: str
    values: dict[str, str]
    fingerprint: RecogFingerprint | None  # None when its pattern could not be compiled

    @property
    def product(self) -> str | None:
        """What the example identifies: its service, else OS, else hardware product."""
        return next((self.values[f"{g}.product"] for g in _GROUPS
                     if self.values.get(f"{g}.product")), None)  # fmt: skip

    @property
    def vendor(self) -> str | None:
        return next((self.values.get(f"{g}.vendor") for g in _GROUPS
                     if self.values.get(f"{g}.product")), None)  # fmt: skip

    @property
    def version(self) -> str | None:
        return next((self.values.get(f"{g}.version") for g in _GROUPS
                     if self.values.get(f"{g}.product")), None)  # fmt: skip


def read_examples(path: Path) -> Iterator[RecogExample]:
    """Every ``<example>`` of a Recog database with what Recog expects it to name."""
    source = DATABASES.get(path.stem, path.stem)
    fingerprints, _ = read_fingerprints(path, source)
    by_index = {fp.index: fp for fp in fingerprints}
    root = ET.parse(path).getroot()  # noqa: S314 - the operator's own data files
    for index, element in enumerate(root.iter("fingerprint")):
        fingerprint = by_index.get(index)
        for example in element.findall("example"):
            text = example.text or ""
            attrs = {k: v for k, v in example.attrib.items() if not k.startswith("_")}
            if example.get("_encoding") == "base64":
                text = base64.b64decode(text).decode("utf-8", "replace")
            found = fingerprint.pattern.search(text) if fingerprint else None
            values = fingerprint.values(found, attrs) if fingerprint and found else dict(attrs)
            if fingerprint and not found:
                values.update({n: v for n, p, v in fingerprint.params if p == 0 and v})
            yield RecogExample(path.stem, text, values, fingerprint)
