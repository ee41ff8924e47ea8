"""The working record of one identification, turned into a :class:`Service` at the end.

Rules fill an identification field by field and never mix products: a rule that names
another product than the one already named adds nothing (a version of product B must not
land on product A). The project's own rules are asked first about every piece of text;
Rapid7 Recog (when the scan was given a Recog directory, :mod:`recog`) only where ours
named nothing, or named a product without a version.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from mamoru.asm.engine.echo import Echo
from mamoru.asm.engine.identify import recog
from mamoru.asm.engine.identify.names import normalise, same_product
from mamoru.asm.engine.identify.rules import RuleMatch, cpe_escape, default_rules
from mamoru.asm.engine.model import Evidence, Service, TlsInfo

_ANY_VERSION = re.compile(r"^(cpe:2\.3:[aoh]:[^:]+:[^:]+:)\*(?=:)")


@dataclass(frozen=True, slots=True)
class Seen:
    """One piece of text a probe handed to the rules (see :func:`recording`)."""

    source: str
    text: str
    echo: Echo | None


_RECORDING: contextvars.ContextVar[list[Seen] | None] = contextvars.ContextVar(
    "mamoru_identify_recording", default=None
)


@contextlib.contextmanager
def recording() -> Iterator[list[Seen]]:
    """Collect every text the identifications started inside hand to the rules.

    For measurements and the false-claim tests: they run every rule over what real
    services said, exactly as the probes read it.
    """
    seen: list[Seen] = []
    token = _RECORDING.set(seen)
    try:
        yield seen
    finally:
        _RECORDING.reset(token)


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
    recog_used: bool = False  # a field came from Recog (Service.source, attribution)

    def agrees(self, found: RuleMatch) -> bool:
        """Whether ``found`` speaks of the product already named (or none is named yet)."""
        if self.product is None:
            return (
                self.vendor is None
                or found.vendor is None
                or (normalise(self.vendor) == normalise(found.vendor))
            )
        if found.product is None:
            return False
        return same_product(self.product, self.vendor, found.product, found.vendor)

    def apply(self, found: RuleMatch | None, probe: str, excerpt: str) -> bool:
        """Take a rule match's fields (without overwriting better ones); record evidence.

        A match that names another product than the one already named changes nothing.
        """
        if found is None or not self.agrees(found):
            if found is None:
                self.evidence.append(Evidence(probe=probe, excerpt=excerpt[:200]))
            return False
        before = (self.product, self.vendor, self.version, self.cpe)
        self.product = self.product or found.product
        self.vendor = self.vendor or found.vendor
        self.version = self.version or found.version
        self.cpe = self.cpe or found.cpe
        if before[2] is None and self.version and self.cpe:
            # a name without a version learnt its version from a later rule
            self.cpe = _ANY_VERSION.sub(lambda m: m.group(1) + cpe_escape(self.version or ""),
                                        self.cpe, count=1)  # fmt: skip
        for key, value in found.extra.items():
            self.extra.setdefault(key, value)
        if found.rule.service:
            self.service = found.rule.service
        if found.rule.origin == "recog" and before != (
            self.product,
            self.vendor,
            self.version,
            self.cpe,
        ):
            self.recog_used = True
        self.evidence.append(Evidence(probe=probe, excerpt=excerpt[:200], rule=found.rule.id))
        return True

    def match(
        self,
        source: str,
        text: str,
        probe: str,
        excerpt: str | None = None,
        *,
        echo: Echo | None = None,
        quiet: bool = False,
    ) -> bool:
        """Run the rules of ``source`` over ``text`` and apply the result.

        Ours first; Recog (if the scan has it) only where ours named nothing or no version.
        ``echo`` is what the request that drew ``text`` sent: nothing it repeats counts.
        ``quiet``: record no evidence when nothing matched (for optional texts such as a
        page title). Returns whether one of *our* rules matched (protocol decisions rest on
        ours alone).
        """
        shown = text if excerpt is None else excerpt
        seen = _RECORDING.get()
        if seen is not None:
            seen.append(Seen(source, text, echo))
        ours = default_rules().match(source, text, echo)
        matched = ours is not None and self.apply(ours, probe, shown)
        database = recog.active()
        if database is not None and (ours is None or ours.product is None or not ours.version):
            theirs = database.match(source, text, echo)
            if theirs is not None and (theirs.product or theirs.vendor):
                self.apply(theirs, probe, shown)
                return matched
        if ours is None and not quiet:
            self.evidence.append(Evidence(probe=probe, excerpt=shown[:200]))
        return matched

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
            source="recog" if self.recog_used else ("mamoru" if self.product else None),
        )
