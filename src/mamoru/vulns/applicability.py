"""Does a vulnerability apply to an identified product? Version ranges (CVE JSON 5
``affected`` and NVD ``cpeMatch``) and NVD configurations with AND/OR nodes, evaluated in
three-valued logic: a configuration that also names a platform we could not observe (the
hardware model, another application) is *unknown*, not false, and the caller reports the
match with a lower confidence. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mamoru.vulns import cpe as cpelib
from mamoru.vulns import versions
from mamoru.vulns.versions import InvalidVersionError

Tri = bool | None  # True, False, or None for "cannot tell"
OPEN_BOUNDS = frozenset({"", "*", "0", "-", "n/a", "all"})


@dataclass(frozen=True, slots=True)
class VersionRange:
    scheme: str = "generic"
    exact: str = ""
    start_including: str = ""
    start_excluding: str = ""
    end_including: str = ""
    end_excluding: str = ""
    # CVE JSON 5 ``changes``: (at, status) pairs applying from ``at`` on, within its line.
    changes: tuple[tuple[str, str], ...] = ()

    @property
    def unbounded(self) -> bool:
        return not (
            self.exact
            or self.start_including
            or self.start_excluding
            or self.end_including
            or self.end_excluding
        )

    def _cmp(self, a: str, b: str) -> int:
        return versions.compare(self.scheme, a, b)

    def _in_bounds(self, version: str) -> bool:
        if self.exact:
            return self._cmp(version, self.exact) == 0
        if self.start_including and self._cmp(version, self.start_including) < 0:
            return False
        if self.start_excluding and self._cmp(version, self.start_excluding) <= 0:
            return False
        if self.end_including and self._cmp(version, self.end_including) > 0:
            return False
        return not (self.end_excluding and self._cmp(version, self.end_excluding) >= 0)

    def contains(self, version: str) -> Tri:
        """Whether the version is in the range (None when it cannot be compared)."""
        try:
            if not self._in_bounds(version):
                return False
            status = "affected"
            for at, change in sorted(self.changes, key=_sort_key(self.scheme)):
                if self._cmp(version, at) >= 0 and versions.same_line(self.scheme, at, version):
                    status = change
        except InvalidVersionError:
            return None
        return status == "affected"

    def describe(self) -> str:
        """A short text of the range for explanations: ``>= 8.5p1, < 9.8p1``."""
        if self.exact:
            return f"= {self.exact}"
        parts = [
            f"{op} {bound}"
            for op, bound in (
                (">=", self.start_including),
                (">", self.start_excluding),
                ("<=", self.end_including),
                ("<", self.end_excluding),
            )
            if bound
        ]
        text = ", ".join(parts) or "all versions"
        fixed = [at for at, status in self.changes if status == "unaffected"]
        return f"{text} (fixed in {', '.join(fixed)})" if fixed else text


def _sort_key(scheme: str) -> Any:
    from functools import cmp_to_key

    def compare(a: tuple[str, str], b: tuple[str, str]) -> int:
        try:
            return versions.compare(scheme, a[0], b[0])
        except InvalidVersionError:
            return 0

    return cmp_to_key(compare)


def bound(value: object) -> str:
    """A feed's range bound, with the spellings of "from the beginning" removed."""
    text = str(value or "").strip()
    return "" if text.lower() in OPEN_BOUNDS else text


def cpe_version(name: cpelib.Cpe, scheme: str) -> str:
    """The product version of a CPE, folding the update field where a vendor splits its
    versions across both (PAN-OS ``10.2.9`` + ``h1``, Ivanti ``22.6`` + ``r2``)."""
    version, update = name.value("version"), name.value("update")
    if version in {cpelib.ANY, cpelib.NA}:
        return ""
    if update not in {cpelib.ANY, cpelib.NA}:
        if scheme == "panos" and update.lower().startswith("h"):
            return f"{version}-{update.lower()}"
        if scheme == "ivanti" and update.lower().startswith("r"):
            return f"{version}{update.upper()}"
    return version


FOLDED_UPDATE = frozenset({"panos", "ivanti"})


def cpe_match_range(match: Mapping[str, Any], scheme: str) -> VersionRange:
    """The version range of one NVD ``cpeMatch`` entry."""
    criteria = cpelib.parse(str(match["criteria"]))
    return VersionRange(
        scheme=scheme,
        exact=cpe_version(criteria, scheme),
        start_including=bound(match.get("versionStartIncluding")),
        start_excluding=bound(match.get("versionStartExcluding")),
        end_including=bound(match.get("versionEndIncluding")),
        end_excluding=bound(match.get("versionEndExcluding")),
    )


@dataclass(frozen=True, slots=True)
class Target:
    """What we know about one service: its product CPE (version filled in) and platforms."""

    product: cpelib.Cpe
    version: str
    scheme: str
    platforms: tuple[cpelib.Cpe, ...] = ()

    @property
    def product_key(self) -> str:
        return self.product.product_key


@dataclass(slots=True)
class Evaluation:
    result: Tri = False
    hits: list[tuple[str, VersionRange]] = field(default_factory=list)  # vulnerable matches


def _eval_cpe_match(match: Mapping[str, Any], target: Target, evaluation: Evaluation) -> Tri:
    criteria = cpelib.parse(str(match["criteria"]))
    skip = frozenset({"version", "update"} if target.scheme in FOLDED_UPDATE else {"version"})
    if criteria.product_key == target.product_key:
        if not cpelib.matches(criteria, target.product, skip=skip):
            return False
        version_range = cpe_match_range(match, target.scheme)
        inside = True if version_range.unbounded else version_range.contains(target.version)
        if inside and match.get("vulnerable"):
            evaluation.hits.append((str(match["criteria"]), version_range))
        return inside
    for platform in target.platforms:
        if criteria.product_key == platform.product_key:
            return cpelib.matches(criteria, platform) or None
    return None


def _combine(operator: str, values: Iterable[Tri]) -> Tri:
    items = list(values)
    if operator == "AND":
        if any(v is False for v in items):
            return False
        return True if all(v is True for v in items) else None
    if any(v is True for v in items):
        return True
    return False if all(v is False for v in items) else None


def _negate(value: Tri, negate: object) -> Tri:
    return (not value) if negate and value is not None else value


def evaluate(configurations: Sequence[Mapping[str, Any]], target: Target) -> Evaluation:
    """Evaluate NVD configurations (OR between configurations) against one target.

    ``result`` is True/None only if a *vulnerable* ``cpeMatch`` matched the target's own
    product; a configuration satisfied only by platforms never makes a service vulnerable.
    """
    evaluation = Evaluation()
    for configuration in configurations:
        local = Evaluation()
        node_values = [
            _negate(
                _combine(
                    str(node.get("operator", "OR")).upper(),
                    [_eval_cpe_match(m, target, local) for m in node.get("cpeMatch", [])],
                ),
                node.get("negate"),
            )
            for node in configuration.get("nodes", [])
        ]
        operator = str(configuration.get("operator", "OR")).upper()
        result = _negate(_combine(operator, node_values), configuration.get("negate"))
        if local.hits and result is not False:
            evaluation.hits.extend(local.hits)
            # A certain configuration outweighs one that depends on unseen platforms.
            evaluation.result = True if result or evaluation.result else None
    return evaluation
