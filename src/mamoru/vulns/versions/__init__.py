"""Version ordering per scheme: pure functions, no Django.

``compare(scheme, a, b)`` returns a negative, zero or positive number. A scheme is chosen
for a product by ``scheme_for_product`` (vendor-native formats) or named by a feed
(``dpkg`` for Debian and Ubuntu packages, ``rpm`` for the Red Hat family).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mamoru.vulns.versions import dpkg, generic, rpm, vendor
from mamoru.vulns.versions.evr import InvalidVersionError

__all__ = [
    "SCHEMES",
    "InvalidVersionError",
    "compare",
    "same_line",
    "scheme_for_product",
]


def _by_key(key: Callable[[str], Any]) -> Callable[[str, str], int]:
    def compare_keys(a: str, b: str) -> int:
        ka, kb = key(a), key(b)
        return int(ka > kb) - int(ka < kb)

    return compare_keys


SCHEMES: dict[str, Callable[[str, str], int]] = {
    "generic": generic.compare,
    "dpkg": dpkg.compare,
    "rpm": rpm.compare,
    "fortios": _by_key(vendor.fortios_key),
    "panos": _by_key(vendor.panos_key),
    "ivanti": _by_key(vendor.ivanti_key),
    "netscaler": _by_key(vendor.netscaler_key),
    "openssh": _by_key(vendor.openssh_key),
}

_LINES: dict[str, Callable[[str], tuple[int, ...]]] = {
    "panos": vendor.panos_line,
    "ivanti": vendor.ivanti_line,
    "netscaler": vendor.netscaler_line,
}

# Canonical product keys (CPE ``vendor:product``) whose versions need a native scheme.
_PRODUCT_SCHEMES = {
    "fortinet:fortios": "fortios",
    "fortinet:fortiproxy": "fortios",
    "paloaltonetworks:pan-os": "panos",
    "ivanti:connect_secure": "ivanti",
    "ivanti:policy_secure": "ivanti",
    "citrix:netscaler": "netscaler",
    "openbsd:openssh": "openssh",
}


def scheme_for_product(product_key: str) -> str:
    """The version scheme for a canonical product key; ``generic`` when it has none."""
    return _PRODUCT_SCHEMES.get(product_key, "generic")


def compare(scheme: str, a: str, b: str) -> int:
    """Compare two versions in a scheme. Raises ``InvalidVersionError`` for unreadable ones."""
    try:
        comparator = SCHEMES[scheme]
    except KeyError:
        raise InvalidVersionError(f"unknown version scheme {scheme!r}") from None
    return comparator(a, b)


def same_line(scheme: str, a: str, b: str) -> bool:
    """Whether two versions are on the same hotfix line (always true without lines)."""
    line = _LINES.get(scheme)
    return line is None or line(a) == line(b)
