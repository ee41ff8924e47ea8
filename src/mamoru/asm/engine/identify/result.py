"""The working record of one identification, turned into a :class:`Service` at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from mamoru.asm.engine.identify.rules import RuleMatch, default_rules
from mamoru.asm.engine.model import Evidence, Service, TlsInfo


@dataclass(slots=True)
class Ident:
    """What the probes have learnt so far about one port."""

    service: str
    product: str | None = None
    vendor: str | None = None
    version: str | None = None
    cpe: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    tls: TlsInfo | None = None
    # A guess that a conclusive answer from another probe should replace (see race.py).
    tentative: bool = False

    def apply(self, found: RuleMatch | None, probe: str, excerpt: str) -> bool:
        """Take a rule match's fields (without overwriting better ones); record evidence."""
        if found is None:
            self.evidence.append(Evidence(probe=probe, excerpt=excerpt[:200]))
            return False
        self.product = self.product or found.product
        self.vendor = self.vendor or found.vendor
        self.version = self.version or found.version
        self.cpe = self.cpe or found.cpe
        for key, value in found.extra.items():
            self.extra.setdefault(key, value)
        if found.rule.service:
            self.service = found.rule.service
        self.evidence.append(Evidence(probe=probe, excerpt=excerpt[:200], rule=found.rule.id))
        return True

    def match(self, source: str, text: str, probe: str, excerpt: str | None = None) -> bool:
        """Run the rules of ``source`` over ``text`` and apply the result."""
        found = default_rules().match(source, text)
        return self.apply(found, probe, text if excerpt is None else excerpt)

    def to_service(self, ip: str, port: int, hostname: str | None) -> Service:
        return Service(
            ip=ip,
            port=port,
            service=self.service,
            product=self.product,
            vendor=self.vendor,
            version=self.version,
            cpe=self.cpe,
            tls=self.tls,
            hostname=hostname,
            extra=dict(self.extra),
            evidence=tuple(self.evidence),
        )
