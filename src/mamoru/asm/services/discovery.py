"""Names an organisation may have forgotten to register, for it to add or reject.

Only names inside the organisation's own approved domains are ever suggested, each with
where it came from:

* its DNS zones: mail servers (MX), name servers (NS), SPF ``include:`` names and the
  targets of CNAME records of its names;
* the names in the certificates (subjectAltName) its scans saw;
* the well-known host names of its domains (www, mail, vpn, remote, portal…) that
  resolve.

A suggestion never starts a scan: it becomes an asset (waiting for approval like any
other) or is rejected, and a rejected name is not suggested again.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.asm import dnslookup, runner
from mamoru.asm.models import (
    Asset,
    AssetKind,
    DiscoverySuggestion,
    ScopeState,
    SuggestionSource,
    SuggestionState,
)
from mamoru.asm.scope import hostname, within_domains
from mamoru.asm.services._access import actor_fields, require_own
from mamoru.asm.services.assets import asset_create
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Actor, System, audit

WELL_KNOWN = (
    "www", "mail", "smtp", "mx", "webmail", "vpn", "sslvpn", "remote", "portal", "gw",
    "gateway", "owa", "autodiscover", "ftp", "dns", "ns1", "ns2", "cms", "login", "sso",
)  # fmt: skip
_SPF_INCLUDE = re.compile(r"\binclude:([^\s]+)", re.IGNORECASE)
Found = tuple[str, str, str]  # name, source, where it came from


def _domains(organisation: Organisation) -> list[str]:
    return list(
        Asset.objects.unscoped("discovery for the organisation: the service checked who asks")
        .filter(organisation=organisation, kind=AssetKind.DOMAIN, scope_state=ScopeState.APPROVED)
        .values_list("value", flat=True)
    )


def _known(organisation: Organisation) -> set[str]:
    names = set(
        Asset.objects.unscoped("discovery for the organisation: the service checked who asks")
        .filter(organisation=organisation, kind__in=[AssetKind.DOMAIN, AssetKind.HOSTNAME])
        .values_list("value", flat=True)
    )
    names |= set(
        DiscoverySuggestion.objects.unscoped(
            "discovery for the organisation: the service checked who asks"
        )
        .filter(organisation=organisation)
        .values_list("value", flat=True)
    )
    return names


def _clean(name: str) -> str | None:
    try:
        return hostname(name.rstrip(".").split(" ")[-1])
    except ValidationError:
        return None


def _suggest(organisation: Organisation, found: Iterable[Found]) -> list[DiscoverySuggestion]:
    domains, known = _domains(organisation), _known(organisation)
    fresh: dict[str, DiscoverySuggestion] = {}
    for raw, source, where in found:
        name = _clean(raw)
        if name is None or name in known or name in fresh or not within_domains(name, domains):
            continue
        fresh[name] = DiscoverySuggestion(
            organisation=organisation, value=name, source=source, found_from=where[:300]
        )
    DiscoverySuggestion.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return list(fresh.values())


def suggestions_from_scan(
    *, organisation: Organisation, outcome: runner.RunOutcome
) -> list[DiscoverySuggestion]:
    """Suggest the names a scan saw in certificates and in its domains' DNS records."""
    found: list[Found] = []
    for _asset, service in outcome.services:
        for name in service.tls.subject_alt_names if service.tls else ():
            if not name.startswith("*."):
                found.append((name, SuggestionSource.CERTIFICATE, f"{service.ip}:{service.port}"))
    for records in outcome.dns.values():
        for record in records:
            kind, value, owner = (
                record.get("type"),
                str(record.get("value", "")),
                record.get("name"),
            )
            if kind == "MX":
                found.append((value, SuggestionSource.MX, f"MX {owner}"))
            elif kind == "CNAME":
                found.append((value, SuggestionSource.CNAME, f"CNAME {owner}"))
            elif kind == "TXT" and "v=spf1" in value.lower():
                found += [
                    (n, SuggestionSource.SPF, f"SPF {owner}") for n in _SPF_INCLUDE.findall(value)
                ]
    return _suggest(organisation, found)


async def _look(domains: list[str]) -> list[Found]:
    found: list[Found] = []

    async def zone(domain: str) -> None:
        mx, ns, txt = await asyncio.gather(
            dnslookup.records(domain, "MX"),
            dnslookup.records(domain, "NS"),
            dnslookup.records(domain, "TXT"),
        )
        found.extend((v, SuggestionSource.MX, f"MX {domain}") for v in mx)
        found.extend((v, SuggestionSource.NS, f"NS {domain}") for v in ns)
        for text in txt:
            if "v=spf1" in text.lower():
                found.extend(
                    (n, SuggestionSource.SPF, f"SPF {domain}") for n in _SPF_INCLUDE.findall(text)
                )

    async def well_known(name: str, domain: str) -> None:
        cname = await dnslookup.records(name, "CNAME")
        found.extend((v, SuggestionSource.CNAME, f"CNAME {name}") for v in cname)
        if await dnslookup.addresses_of(name):
            found.append((name, SuggestionSource.WELL_KNOWN, domain))

    await asyncio.gather(
        *(zone(d) for d in domains),
        *(well_known(f"{label}.{d}", d) for d in domains for label in WELL_KNOWN),
    )
    return found


def suggestions_discover(
    *, principal: Actor, organisation: Organisation
) -> list[DiscoverySuggestion]:
    """Look in the organisation's own approved domains for names to suggest (its editors,
    or the system after a scan). Returns the new suggestions."""
    require_own(principal, organisation)
    domains = _domains(organisation)
    if not domains:
        return []
    found = asyncio.run(_look(domains))
    with transaction.atomic():
        created = _suggest(organisation, found)
        if not isinstance(principal, System) or created:
            audit(
                principal,
                "asm.suggestion.discover",
                organisation=organisation,
                details={"found": len(created)},
            )
    return created


def _pending(suggestion: DiscoverySuggestion) -> None:
    if suggestion.state != SuggestionState.PENDING:
        raise StateConflict(_("この候補はすでに確認済みです。"))


@transaction.atomic
def suggestion_accept(*, principal: Actor, suggestion: DiscoverySuggestion) -> Asset:
    """Add a suggested name as an asset (it waits for approval like any other)."""
    require_own(principal, suggestion.organisation)
    _pending(suggestion)
    asset = asset_create(
        principal=principal,
        organisation=suggestion.organisation,
        kind=AssetKind.HOSTNAME,
        value=suggestion.value,
        note=_("候補から追加（%(source)s: %(where)s）")
        % {"source": suggestion.get_source_display(), "where": suggestion.found_from},
        via="discovery",
    )
    _decide(principal, suggestion, SuggestionState.APPROVED, asset)
    return asset


@transaction.atomic
def suggestion_reject(*, principal: Actor, suggestion: DiscoverySuggestion) -> DiscoverySuggestion:
    """Say a suggested name is not the organisation's to scan (it is not suggested again)."""
    require_own(principal, suggestion.organisation)
    _pending(suggestion)
    return _decide(principal, suggestion, SuggestionState.REJECTED, None)


def _decide(
    principal: Actor, suggestion: DiscoverySuggestion, state: str, asset: Asset | None
) -> DiscoverySuggestion:
    suggestion.state = state
    suggestion.asset = asset
    suggestion.decided_by = actor_fields(principal).user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "asset", "decided_by", "decided_at"])
    audit(
        principal,
        "asm.suggestion.accept" if state == SuggestionState.APPROVED else "asm.suggestion.reject",
        organisation=suggestion.organisation,
        target=suggestion.value,
    )
    return suggestion
