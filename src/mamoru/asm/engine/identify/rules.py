"""The project's own fingerprint rules: YAML data in ``mamoru/asm/rules``, compiled once.

A rule file holds the rules for one *source* — the piece of a response the rules read:
the SSH software string, an FTP greeting, an HTTP ``Server`` header, and so on. Rules are
tried in file order and the first match wins, so files list specific rules before generic
ones. Named groups in a pattern become fields: ``version`` is the version, every other
group lands in ``extra`` (``os``, ``distro_package``, ...). ``product``, ``vendor`` and the
``extra`` values may be templates (``{group}``) over those groups.

A bad rule fails loudly at load time with its file and id, so a typo in data cannot
silently turn a detection off.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mamoru.asm.engine.echo import Echo

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
# libyaml's safe loader when present: ~600 rules load several times faster than in Python.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_ALLOWED_KEYS = frozenset(
    {"id", "pattern", "flags", "product", "vendor", "version", "cpe", "service", "extra", "note"}
)
_FIELD_GROUPS = frozenset({"product", "vendor", "version"})
_FLAG_BITS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE}
_CPE_BASE = re.compile(r"^[aoh]:[a-z0-9_\-.!~%]+:[a-z0-9_\-.!~%]+$")
# CPE 2.3 formatted strings backslash-escape every printable character except these.
_CPE_PLAIN = frozenset(string.ascii_letters + string.digits + "_-.")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the rule id."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled fingerprint rule."""

    id: str  # "<source>.<local id>", unique across all files
    source: str
    pattern: re.Pattern[str]
    product: str | None = None
    vendor: str | None = None
    version: str | None = None  # template; defaults to the ``version`` group
    cpe: str | None = None  # "part:vendor:product", the version is appended
    service: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    origin: str = "mamoru"  # whose rule it is: "mamoru" (our YAML) or "recog"


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """What a rule says about a piece of text."""

    rule: Rule
    product: str | None
    vendor: str | None
    version: str | None
    cpe: str | None
    extra: dict[str, str]
    matched: str


def cpe_escape(value: str) -> str:
    """Quote one CPE 2.3 formatted-string component (``2.4.57+dfsg`` → ``2.4.57\\+dfsg``)."""
    return "".join(ch if ch in _CPE_PLAIN else "\\" + ch for ch in value.replace(" ", "_"))


def cpe_name(base: str, version: str | None) -> str:
    """Build ``cpe:2.3:<part>:<vendor>:<product>:<version>:*:*:*:*:*:*:*``."""
    ver = cpe_escape(version) if version else "*"
    return f"cpe:2.3:{base}:{ver}:*:*:*:*:*:*:*"


def _template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _render(template: str | None, groups: Mapping[str, str]) -> str | None:
    if template is None:
        return None
    if any(name not in groups for name in _template_fields(template)):
        return None
    value = template.format_map(groups).strip()
    return value or None


def _compile(raw: Mapping[str, Any], source: str, where: str) -> Rule:
    unknown = set(raw) - _ALLOWED_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    flags = 0
    for letter in str(raw.get("flags", "")):
        if letter not in _FLAG_BITS:
            raise RuleError(f"{where}: unknown flag {letter!r}")
        flags |= _FLAG_BITS[letter]
    try:
        pattern = re.compile(str(raw["pattern"]), flags)
    except (KeyError, re.error) as exc:
        raise RuleError(f"{where}: bad or missing pattern: {exc}") from exc
    groups = set(pattern.groupindex)
    extra = {str(k): str(v) for k, v in (raw.get("extra") or {}).items()}
    version = raw.get("version", "{version}" if "version" in groups else None)
    templates = [raw.get("product"), raw.get("vendor"), version, *extra.values()]
    for template in filter(None, templates):
        missing = _template_fields(str(template)) - groups
        if missing:
            raise RuleError(f"{where}: template uses unknown groups {sorted(missing)}")
    cpe = raw.get("cpe")
    if cpe is not None and not _CPE_BASE.match(str(cpe)):
        raise RuleError(f"{where}: cpe must look like 'a:vendor:product', got {cpe!r}")
    return Rule(
        id=f"{source}.{raw['id']}",
        source=source,
        pattern=pattern,
        product=raw.get("product"),
        vendor=raw.get("vendor"),
        version=None if version is None else str(version),
        cpe=None if cpe is None else str(cpe),
        service=raw.get("service"),
        extra=extra,
    )


def load_file(path: Path) -> tuple[str, list[Rule]]:
    """Load and validate one rule file; returns its source name and compiled rules."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe
    except yaml.YAMLError as exc:
        raise RuleError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or "source" not in doc or not isinstance(doc.get("rules"), list):
        raise RuleError(f"{path.name}: needs a 'source' and a list of 'rules'")
    source = str(doc["source"])
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc["rules"]):
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path.name}: rule {rule_id or '#' + str(index)}"
        if not isinstance(raw, dict) or not rule_id:
            raise RuleError(f"{where}: every rule needs an 'id'")
        if rule_id in seen:
            raise RuleError(f"{where}: duplicate id")
        seen.add(rule_id)
        rules.append(_compile(raw, source, where))
    return source, rules


class RuleSet:
    """All rules, by source. Build it through :func:`default_rules` to compile once."""

    def __init__(self, by_source: Mapping[str, list[Rule]]) -> None:
        self._by_source = dict(by_source)

    @classmethod
    def from_dir(cls, directory: Path) -> RuleSet:
        """Load every ``*.yaml`` in ``directory``; a source may span several files."""
        by_source: dict[str, list[Rule]] = {}
        for path in sorted(directory.glob("*.yaml")):
            source, rules = load_file(path)
            by_source.setdefault(source, []).extend(rules)
        return cls(by_source)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self._by_source)

    def rules(self, source: str) -> list[Rule]:
        return list(self._by_source.get(source, ()))

    def products(self, source: str) -> set[str]:
        """Products the rules of ``source`` can name (templated products excluded)."""
        return {
            r.product for r in self._by_source.get(source, ()) if r.product and "{" not in r.product
        }

    def match(self, source: str, text: str, echo: Echo | None = None) -> RuleMatch | None:
        """The first rule of ``source`` whose pattern is found in ``text``.

        With ``echo`` (what the request that drew ``text`` sent), repetitions of the
        request are blanked first and a match that is only a piece of it does not count.
        """
        if echo is not None:
            return self._match_echoed(source, echo.scrub(text), echo)
        for rule in self._by_source.get(source, ()):
            found = rule.pattern.search(text)
            if found is not None:
                return _result(rule, found)
        return None

    def _match_echoed(self, source: str, text: str, echo: Echo) -> RuleMatch | None:
        for rule in self._by_source.get(source, ()):
            for found in rule.pattern.finditer(text):
                if not echo.explains(found.group(0)):
                    return _result(rule, found)
        return None


def _result(rule: Rule, found: re.Match[str]) -> RuleMatch:
    groups = {k: v.strip() for k, v in found.groupdict().items() if v}
    version = _render(rule.version, groups)
    # Groups feeding product/vendor/version are not extras; "_" marks helper groups.
    extra = {k: v for k, v in groups.items() if k not in _FIELD_GROUPS and not k.startswith("_")}
    for key, template in rule.extra.items():
        value = _render(template, groups)
        if value:
            extra[key] = value
    return RuleMatch(
        rule=rule,
        product=_render(rule.product, groups),
        vendor=_render(rule.vendor, groups),
        version=version,
        cpe=cpe_name(rule.cpe, version) if rule.cpe else None,
        extra=extra,
        matched=found.group(0),
    )


@functools.cache
def default_rules() -> RuleSet:
    """The rules shipped in ``mamoru/asm/rules``, loaded and compiled once per process."""
    return RuleSet.from_dir(RULES_DIR)
