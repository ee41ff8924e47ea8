"""DNS records and mail-authentication checks (SPF, DMARC) for one domain.

Queries go to the resolver the caller names (``HOST[:PORT]``), or to the system's; the
tests always point at the lab's NSD. Only the scanned domain's own names are looked up,
plus the names its SPF record includes (bounded: those are what receivers look up too).
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field

import dns.asyncresolver
import dns.exception
import dns.resolver

from mamoru.asm.engine.checks.catalogue import new_finding
from mamoru.asm.engine.model import Evidence, Finding, Severity

RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT")
SPF_LOOKUP_LIMIT = 10  # RFC 7208 §4.6.4
MAX_SPF_FETCHES = 25  # our own cap on include/redirect records followed
# Terms that cost the receiver a DNS query (besides include: and redirect=, followed below).
_LOOKUP_WORDS = frozenset({"a", "mx", "ptr"})
_LOOKUP_PREFIXES = ("a:", "a/", "mx:", "mx/", "ptr:", "exists:")


class DnsCheckError(RuntimeError):
    """The resolver did not answer: no finding can be trusted (rather than ``spf-missing``)."""


def make_resolver(resolver: str | None, timeout: float) -> dns.asyncresolver.Resolver:
    """A resolver for ``HOST[:PORT]`` (``[v6]:PORT`` for IPv6), or the system's."""
    if resolver is None:
        result = dns.asyncresolver.Resolver()
    else:
        host, port = resolver, 53
        if resolver.startswith("["):
            host, _, rest = resolver[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else 53
        elif resolver.count(":") == 1:
            host, _, port_text = resolver.partition(":")
            port = int(port_text)
        ipaddress.ip_address(host)  # a resolver is an address; ValueError otherwise
        result = dns.asyncresolver.Resolver(configure=False)
        result.nameservers = [host]
        result.port = port
    result.timeout = timeout
    result.lifetime = timeout
    return result


async def _query(res: dns.asyncresolver.Resolver, name: str, rtype: str) -> list[tuple[str, int]]:
    """(value, ttl) of each record; empty when the name or type does not exist."""
    try:
        answer = await res.resolve(name, rtype, search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
        raise DnsCheckError(f"{rtype} {name}: {exc}") from exc
    ttl = answer.rrset.ttl if answer.rrset is not None else 0
    if rtype == "TXT":
        return [(b"".join(r.strings).decode("utf-8", errors="replace"), ttl) for r in answer]
    return [(r.to_text(), ttl) for r in answer]


async def _txt(res: dns.asyncresolver.Resolver, name: str) -> list[str]:
    return [value for value, _ttl in await _query(res, name, "TXT")]


def _spf_records(txt: list[str]) -> list[str]:
    return [t for t in txt if t.lower() == "v=spf1" or t.lower().startswith("v=spf1 ")]


@dataclass
class _SpfCount:
    lookups: int = 0
    fetches: int = 0
    loop: bool = False
    chain: list[str] = field(default_factory=list)


async def _count_lookups(res: dns.asyncresolver.Resolver, record: str, count: _SpfCount) -> None:
    """Add the DNS-querying terms of ``record`` and, recursively, of what it includes."""
    for term in record.split()[1:]:
        lowered = term.lower().lstrip("+-~?")
        target = None
        if lowered.startswith("redirect="):
            target = term.split("=", 1)[1]
        elif lowered in _LOOKUP_WORDS or lowered.startswith(_LOOKUP_PREFIXES):
            count.lookups += 1
            continue
        elif lowered.startswith("include:"):
            target = term.split(":", 1)[1]
        if target is None:
            continue
        count.lookups += 1
        await _follow(res, target, count)


async def _follow(res: dns.asyncresolver.Resolver, target: str, count: _SpfCount) -> None:
    if "%" in target or count.lookups > SPF_LOOKUP_LIMIT or count.fetches >= MAX_SPF_FETCHES:
        return  # macros need the sender; past the limit the verdict is already known
    name = target.lower().rstrip(".")
    if name in count.chain:
        count.loop = True
        return
    count.fetches += 1
    count.chain.append(name)
    try:
        for record in _spf_records(await _txt(res, name))[:1]:
            await _count_lookups(res, record, count)
    finally:
        count.chain.pop()


async def spf_findings(
    res: dns.asyncresolver.Resolver, domain: str, txt: list[str]
) -> list[Finding]:
    """spf-missing / -multiple-records / -permissive / -too-many-lookups for ``domain``."""
    records = _spf_records(txt)
    if not records:
        return [_mail_finding("spf-missing", domain, "TXT", "no v=spf1 record")]
    if len(records) > 1:
        return [_mail_finding("spf-multiple-records", domain, "TXT", " | ".join(records))]
    record = records[0]
    found = []
    last = record.split()[-1].lower()
    if last in ("+all", "all", "?all"):
        severity = Severity.HIGH if last != "?all" else Severity.MEDIUM
        found.append(_mail_finding("spf-permissive", domain, "TXT", record, severity=severity,
                                   qualifier=last))  # fmt: skip
    count = _SpfCount(chain=[domain.lower().rstrip(".")])
    await _count_lookups(res, record, count)
    if count.lookups > SPF_LOOKUP_LIMIT or count.loop:
        found.append(_mail_finding("spf-too-many-lookups", domain, "TXT", record,
                                   lookups=f"{count.lookups}{'+' if count.loop else ''}",
                                   loop=str(count.loop).lower()))  # fmt: skip
    return found


def _dmarc_policy(record: str) -> str | None:
    for tag in record.split(";"):
        key, _, value = tag.strip().partition("=")
        if key.strip().lower() == "p":
            return value.strip().lower()
    return None


def dmarc_findings(domain: str, txt: list[str]) -> list[Finding]:
    """dmarc-missing / dmarc-none from the TXT records of ``_dmarc.<domain>``."""
    records = [t for t in txt if t.replace(" ", "").lower().startswith("v=dmarc1")]
    name = f"_dmarc.{domain}"
    if not records:
        return [_mail_finding("dmarc-missing", domain, "TXT", f"{name}: no v=DMARC1 record")]
    policy = _dmarc_policy(records[0])
    if policy in (None, "none"):
        return [_mail_finding("dmarc-none", domain, "TXT", f"{name}: {records[0]}",
                              policy=policy or "(none given)")]  # fmt: skip
    return []


def _mail_finding(kind: str, domain: str, rtype: str, text: str, **details: object) -> Finding:
    severity = details.pop("severity", None)
    return new_finding(
        kind, hostname=domain, evidence=(Evidence(f"dns-{rtype.lower()}", text[:300]),),
        details={k: str(v) for k, v in details.items()},
        severity=severity if isinstance(severity, Severity) else None,
    )  # fmt: skip


async def check_domain(
    domain: str, *, resolver: str | None = None, timeout: float = 5.0
) -> tuple[list[dict[str, object]], list[Finding]]:
    """DNS records (A/AAAA/CNAME/MX/TXT) of ``domain`` and its SPF/DMARC findings.

    Each record is ``{"name", "type", "value", "ttl"}``. A domain that does not exist
    has no records and no findings. Raises ``DnsCheckError`` when the resolver does not
    answer, and ``ValueError`` for a resolver that is not ``HOST[:PORT]``.
    """
    res = make_resolver(resolver, timeout)
    domain = domain.rstrip(".").lower()
    answers = await asyncio.gather(*(_query(res, domain, rtype) for rtype in RECORD_TYPES))
    records: list[dict[str, object]] = [
        {"name": domain, "type": rtype, "value": value, "ttl": ttl}
        for rtype, values in zip(RECORD_TYPES, answers, strict=True)
        for value, ttl in values
    ]
    if not records and not await _exists(res, domain):
        return [], []
    txt = [str(r["value"]) for r in records if r["type"] == "TXT"]
    spf, dmarc_txt = await asyncio.gather(
        spf_findings(res, domain, txt), _txt(res, f"_dmarc.{domain}")
    )
    return records, [*spf, *dmarc_findings(domain, dmarc_txt)]


async def _exists(res: dns.asyncresolver.Resolver, domain: str) -> bool:
    """Whether the name exists at all (it may hold only other record types)."""
    try:
        await res.resolve(domain, "SOA", search=False)
    except dns.resolver.NXDOMAIN:
        return False
    except (dns.resolver.NoAnswer, dns.resolver.NoNameservers, dns.exception.Timeout):
        return True
    return True
