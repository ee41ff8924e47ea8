"""``match_service``: the known vulnerabilities that really apply to one identified service,
each with why (rule, range, version seen or inferred, distribution fix) and a confidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from mamoru.vulns import applicability, products, versions
from mamoru.vulns.distros import epoch_of, upstream_of
from mamoru.vulns.matching.identify import Identity, identify
from mamoru.vulns.matching.knowledge import AffectedRow, FixInfo, Knowledge
from mamoru.vulns.matching.priority import Priority, action_ja, is_remote_access, prioritise
from mamoru.vulns.matching.priority import title_ja as make_title
from mamoru.vulns.observed import ServiceLike
from mamoru.vulns.versions import InvalidVersionError

_FAMILY_LABELS = {"debian": "Debian", "ubuntu": "Ubuntu", "rhel": "Red Hat Enterprise Linux"}


@dataclass(frozen=True, slots=True)
class VulnerabilityMatch:
    vulnerability_id: str
    product_key: str
    version: str
    rule: str  # "cve5-affected", "nvd-cpe" or "distro-fix"
    range: str  # the range or fix that decided it
    version_exact: bool  # False when the version was inferred, not read
    confidence: float  # 0..1
    reasons: tuple[str, ...]
    priority: Priority
    title_ja: str
    action_ja: str
    kev_due: dt.date | None = None
    cvss: float | None = None
    epss: float | None = None

    @property
    def kev(self) -> bool:
        return self.priority.kev


@dataclass(slots=True)
class _Hit:
    rule: str
    range: str
    certain: bool
    reasons: list[str] = field(default_factory=list)
    distro: str = ""
    fixed: str = ""


def _cve5_hit(rows: list[AffectedRow], version: str) -> tuple[bool, _Hit | None]:
    """(excluded, hit): excluded when the CNA lists the version as unaffected."""
    affected = [r for r in rows if r.status == "affected" and r.version_range.contains(version)]
    unaffected = [r for r in rows if r.status == "unaffected" and r.version_range.contains(version)]
    if unaffected or not affected:
        return bool(unaffected), None
    described = affected[0].version_range.describe()
    return False, _Hit("cve5-affected", described, True, [f"CVE JSON 5 affected: {described}"])


def _nvd_hit(identity: Identity, configurations: list[dict[str, object]] | None) -> _Hit | None:
    if not configurations:
        return None
    evaluation = applicability.evaluate(configurations, identity.target)
    if evaluation.result is False or not evaluation.hits:
        return None
    criteria, version_range = evaluation.hits[0]
    described = version_range.describe()
    hit = _Hit("nvd-cpe", described, evaluation.result is True)
    hit.reasons.append(f"NVD {criteria}: {described}")
    if evaluation.result is None:
        hit.reasons.append("構成条件の一部 (機種・動作環境) は外部から確認できません")
    return hit


class Matcher:
    """Matches many services against one cached view of the database."""

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or Knowledge()
        self._cache: dict[tuple[object, ...], list[VulnerabilityMatch]] = {}

    def match(self, service: ServiceLike) -> list[VulnerabilityMatch]:
        identity = identify(service)
        if identity is None:
            return []
        return self.match_identity(identity)

    def match_identity(self, identity: Identity) -> list[VulnerabilityMatch]:
        key = identity.cache_key
        if key not in self._cache:
            self._cache[key] = self._match(identity)
        return self._cache[key]

    def _match(self, identity: Identity) -> list[VulnerabilityMatch]:
        matches = []
        for vuln_id, rows in self.knowledge.affected(identity.product_key).items():
            match = self.match_vulnerability(identity, vuln_id, rows)
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: (m.priority.sort_key, m.vulnerability_id))
        return matches

    def match_vulnerability(
        self, identity: Identity, vuln_id: str, rows: list[AffectedRow]
    ) -> VulnerabilityMatch | None:
        info = self.knowledge.vulnerability(vuln_id)
        if info is None or info.rejected:
            return None
        excluded, hit = _cve5_hit([r for r in rows if r.source == "cve5"], identity.version)
        if excluded:
            return None  # the CNA says this version is not affected
        if hit is None:
            hit = _nvd_hit(identity, info.configurations)
        if hit is None:
            return None
        if identity.installed is not None and not self._backport(identity, vuln_id, hit):
            return None
        return self._build(identity, vuln_id, hit)

    def _backport(self, identity: Identity, vuln_id: str, hit: _Hit) -> bool:
        """Refine an upstream hit with the distribution's fix; False when it is patched."""
        installed = identity.installed
        assert installed is not None
        package = products.DISTRO_PACKAGES.get(identity.product_key, {}).get(
            installed.family, products.product_name(identity.product_key)
        )
        fixes = [
            f
            for f in self.knowledge.fixes(vuln_id, [package])
            if f.family == installed.family
            and (not installed.release or f.release == installed.release)
        ]
        if not installed.release:
            # The banner did not name the release: the one whose fix has our upstream version.
            fixes = [f for f in fixes if not f.fixed or upstream_of(f.fixed) == identity.version]
        label = f"{_FAMILY_LABELS.get(installed.family, installed.family)}"
        if not fixes:
            hit.certain = False
            hit.reasons.append(
                f"{label} の修正情報がないため、上流の版で判定しました (バックポート未確認)"
            )
            return True
        return _compare_fix(identity, fixes[0], hit, label)

    def _build(self, identity: Identity, vuln_id: str, hit: _Hit) -> VulnerabilityMatch:
        info = self.knowledge.vulnerability(vuln_id)
        kev = self.knowledge.kev(vuln_id)
        epss = self.knowledge.epss(vuln_id)
        cvss = info.cvss if info else None
        remote = is_remote_access(identity.product_key, identity.service)
        priority = prioritise(
            kev=kev is not None,
            ransomware=bool(kev and kev.ransomware),
            epss=epss,
            cvss=cvss,
            remote_access=remote,
        )
        confidence = 0.9 if hit.certain else 0.6
        if identity.version_inferred:
            confidence *= 0.7
            hit.reasons.append("版数は推定値です")
        if not identity.vendor_known:
            confidence *= 0.8
        return VulnerabilityMatch(
            vulnerability_id=vuln_id,
            product_key=identity.product_key,
            version=identity.version,
            rule=hit.rule,
            range=hit.range,
            version_exact=not identity.version_inferred,
            confidence=round(confidence, 2),
            reasons=tuple(hit.reasons),
            priority=priority,
            title_ja=make_title(
                vulnerability_id=vuln_id,
                jvn_title=info.title_ja if info else "",
                product=identity.product_label,
                kev=kev is not None,
            ),
            action_ja=action_ja(
                kev=kev is not None,
                due=kev.due_date if kev else None,
                remote_access=remote,
                distro=hit.distro,
                fixed=hit.fixed,
            ),
            kev_due=kev.due_date if kev else None,
            cvss=cvss,
            epss=epss,
        )


def _compare_fix(identity: Identity, fix: FixInfo, hit: _Hit, label: str) -> bool:
    installed = identity.installed
    assert installed is not None
    release = f"{label} {fix.release}".strip()
    hit.distro = release
    if not fix.fixed:
        hit.rule, hit.range, hit.certain = "distro-fix", "no fix yet", True
        hit.reasons.append(f"{release} ({fix.advisory_id}) には修正版がまだありません")
        return True
    full = installed.full_version(identity.version, epoch_of(fix.fixed))
    try:
        patched = versions.compare(fix.scheme, full, fix.fixed) >= 0
    except InvalidVersionError:
        hit.certain = False
        hit.reasons.append(f"パッケージ版数 {full} を比較できませんでした")
        return True
    if patched:
        return False
    hit.rule, hit.range, hit.certain, hit.fixed = "distro-fix", f"< {fix.fixed}", True, fix.fixed
    hit.reasons.append(
        f"{release} の {fix.package} {full} は修正版 {fix.fixed} ({fix.advisory_id}) より前です"
    )
    return True


def match_service(
    service: ServiceLike, *, matcher: Matcher | None = None
) -> list[VulnerabilityMatch]:
    """The vulnerabilities that apply to one service, most urgent first."""
    return (matcher or Matcher()).match(service)


def match_services(
    services: Iterable[ServiceLike],
) -> list[tuple[ServiceLike, list[VulnerabilityMatch]]]:
    """Match many services with one shared cache."""
    matcher = Matcher()
    return [(service, matcher.match(service)) for service in services]
