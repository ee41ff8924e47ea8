"""CPE 2.3 names: the formatted-string binding (with its escapes), the 2.2 URI binding that
JVN still uses, and attribute matching as NVD applies it. Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

ATTRIBUTES = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
ANY = "*"
NA = "-"


class InvalidCpeError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Cpe:
    """A CPE name. Values keep their escapes (``\\:``) so wildcards stay distinguishable."""

    part: str
    vendor: str
    product: str
    version: str = ANY
    update: str = ANY
    edition: str = ANY
    language: str = ANY
    sw_edition: str = ANY
    target_sw: str = ANY
    target_hw: str = ANY
    other: str = ANY

    @property
    def product_key(self) -> str:
        return f"{unescape(self.vendor).lower()}:{unescape(self.product).lower()}"

    def value(self, attribute: str) -> str:
        """An attribute without its escapes (``*`` and ``-`` stay as they are)."""
        raw: str = getattr(self, attribute)
        return raw if raw in {ANY, NA} else unescape(raw)

    def __str__(self) -> str:
        return "cpe:2.3:" + ":".join(getattr(self, name) for name in ATTRIBUTES)


def _split_formatted(text: str) -> list[str]:
    fields: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        raise InvalidCpeError(f"dangling escape in {text!r}")
    fields.append("".join(current))
    return fields


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def parse(text: str) -> Cpe:
    """Parse a CPE 2.3 formatted string or a CPE 2.2 URI (``cpe:/a:vendor:product:1.0``)."""
    stripped = text.strip()
    if stripped.startswith("cpe:/"):
        return _parse_uri(stripped)
    if not stripped.startswith("cpe:2.3:"):
        raise InvalidCpeError(f"not a CPE 2.3 name: {text!r}")
    fields = _split_formatted(stripped[len("cpe:2.3:") :])
    if len(fields) != len(ATTRIBUTES):
        raise InvalidCpeError(f"a CPE 2.3 name has 11 attributes, {text!r} has {len(fields)}")
    if fields[0] not in {"a", "o", "h", ANY}:
        raise InvalidCpeError(f"part must be a, o or h in {text!r}")
    if any(not field for field in fields):
        raise InvalidCpeError(f"empty attribute in {text!r}")
    return Cpe(*fields)


def _uri_value(value: str) -> str:
    if value == "":
        return ANY
    if value == "-":
        return NA
    # Escape what the formatted string treats specially, so values compare alike.
    return re.sub(r"([^A-Za-z0-9_.\-])", r"\\\1", unquote(value))


def _parse_uri(text: str) -> Cpe:
    fields = text[len("cpe:/") :].split(":")
    if len(fields) > 7 or not fields[0] or fields[0] not in {"a", "o", "h"}:
        raise InvalidCpeError(f"not a CPE 2.2 URI: {text!r}")
    values = [fields[0]] + [_uri_value(value) for value in fields[1:]]
    values += [ANY] * (7 - len(values))
    return Cpe(values[0], values[1], values[2], values[3], values[4], values[5], values[6])


def _wildcard_match(pattern: str, value: str) -> bool:
    # Unescaped * and ? in a criteria value are wildcards (CPE name matching, §6.3).
    regex = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            regex.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        regex.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
        i += 1
    return re.fullmatch("".join(regex), value, flags=re.IGNORECASE) is not None


def attribute_matches(criteria: str, target: str) -> bool:
    """Whether one criteria attribute admits the target's value.

    A target ``*`` (unknown) is admitted: a service we identified only partly must not be
    excluded by attributes we never saw; the caller lowers its confidence instead.
    """
    if ANY in (criteria, target):
        return True
    if NA in (criteria, target):
        return criteria == target
    if "*" in criteria.replace("\\*", "") or "?" in criteria.replace("\\?", ""):
        return _wildcard_match(criteria, unescape(target))
    return unescape(criteria).lower() == unescape(target).lower()


def matches(criteria: Cpe, target: Cpe, *, skip: frozenset[str] = frozenset()) -> bool:
    """Attribute-wise match of a target name against criteria, except attributes in ``skip``."""
    return all(
        attribute_matches(getattr(criteria, name), getattr(target, name))
        for name in ATTRIBUTES
        if name not in skip
    )
