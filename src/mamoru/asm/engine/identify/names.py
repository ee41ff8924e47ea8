"""When two product names name the same product.

Rules name products in their own words: Recog says "HTTPD" by Apache where we say "Apache
httpd", "IBM Domino" where we say "Lotus Domino". Identification must not mix the fields of
two different products, and the measurements must not count a naming difference as a
wrong claim, so both compare names here: letters and digits only, through a short table of
known aliases, then one name inside the other's "vendor product".
"""

from __future__ import annotations

import re

__all__ = ["ALIASES", "normalise", "same_product"]

# Names that differ for the same product, normalised on both sides.
ALIASES: dict[str, str] = {
    "iis": "internetinformationservices",
    "microsoftiis": "internetinformationservices",
    "exchangeserver": "exchange",
    "microsoftexchange": "exchange",
    "apachehttpd": "httpserver",
    "apache": "httpserver",
    "lotusdomino": "domino",
    "ibmdomino": "domino",
    "checkpointfw1": "firewall1",
    "dnsd": "nsd",  # Recog's name for NLnet Labs' Name Server Daemon
    "pulseconnectsecure": "connectsecure",  # renamed Ivanti Connect Secure in 2021
    "ivanticonnectsecure": "connectsecure",
    "redhatenterpriseas": "redhatenterpriselinux",
    "redhatenterprisews": "redhatenterpriselinux",
    "redhatenterprisees": "redhatenterpriselinux",
}
_MIN_CONTAINED = 3  # shorter names are not compared by containment


def normalise(*parts: str | None) -> str:
    """A name for comparison: letters and digits only, lower case, through the aliases."""
    key = re.sub(r"[^a-z0-9]", "", " ".join(p for p in parts if p).lower())
    return ALIASES.get(key, key)


def same_product(product: str, vendor: str | None, other: str, other_vendor: str | None) -> bool:
    """Whether ``product`` (by ``vendor``) and ``other`` (by ``other_vendor``) are one product.

    Equal names (aliases applied), equal "vendor product", or one name inside the other's
    "vendor product" ("HTTPD" by Apache and "Apache httpd"; "RT" by Yamaha is too short to
    be compared inside anything).
    """
    mine, theirs = normalise(product), normalise(other)
    if mine == theirs:
        return True
    mine_full, theirs_full = normalise(vendor, product), normalise(other_vendor, other)
    if mine_full in (theirs_full, theirs) or theirs_full == mine:
        return True
    if min(len(mine), len(theirs)) < _MIN_CONTAINED:
        return False
    return mine in theirs_full or theirs in mine_full
