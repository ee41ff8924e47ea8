"""Vendor-native version formats of the appliances that matter most on the perimeter.

Each parser returns a tuple of integers so versions compare as tuples. A *line* is the
branch a hotfix belongs to: a CVE record's ``changes`` (``at 11.1.0-h3: unaffected``)
apply only to later versions of the same line, because vendors fix several branches in
parallel and numbering alone would wrongly mark ``11.1.1`` as fixed by ``11.1.0-h3``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mamoru.vulns.versions.evr import InvalidVersionError

_FORTIOS = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[ ,]*build\s*(\d+))?", re.IGNORECASE)
_PANOS = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:-h(\d+))?(?:\.\w+)?$", re.IGNORECASE)
_IVANTI = re.compile(r"^(\d+)\.(\d+)(?:r(\d+)(?:\.(\d+))?(?:\.(\d+))?)?", re.IGNORECASE)
_NETSCALER = re.compile(r"^(\d+)\.(\d+)(?:-(?:fips|ndcpp))?(?:-(\d+)(?:\.(\d+))?)?$", re.IGNORECASE)
_OPENSSH = re.compile(r"^(?:openssh_)?(\d+)\.(\d+)(?:\.(\d+))?(?:p(\d+))?", re.IGNORECASE)


def _ints(match: re.Match[str] | None, version: str, scheme: str) -> tuple[int, ...]:
    if match is None:
        raise InvalidVersionError(f"not a {scheme} version: {version!r}")
    return tuple(int(group) if group else 0 for group in match.groups())


@lru_cache(maxsize=65536)
def fortios_key(version: str) -> tuple[int, ...]:
    """FortiOS/FortiProxy ``7.2.3`` (a build number, when given, orders within a release)."""
    return _ints(_FORTIOS.match(version.strip()), version, "FortiOS")


@lru_cache(maxsize=65536)
def panos_key(version: str) -> tuple[int, ...]:
    """PAN-OS ``10.2.9-h1``: major.feature.maintenance, then the hotfix number."""
    return _ints(_PANOS.match(version.strip()), version, "PAN-OS")


def panos_line(version: str) -> tuple[int, ...]:
    return panos_key(version)[:3]


@lru_cache(maxsize=65536)
def ivanti_key(version: str) -> tuple[int, ...]:
    """Ivanti Connect/Policy Secure ``22.7R2.3``: major.minor, release, then build."""
    return _ints(_IVANTI.match(version.strip()), version, "Ivanti")


def ivanti_line(version: str) -> tuple[int, ...]:
    return ivanti_key(version)[:3]


@lru_cache(maxsize=65536)
def netscaler_key(version: str) -> tuple[int, ...]:
    """NetScaler ADC/Gateway ``13.1-49.15``: release, then build number and sub-build."""
    return _ints(_NETSCALER.match(version.strip()), version, "NetScaler")


def netscaler_line(version: str) -> tuple[int, ...]:
    return netscaler_key(version)[:2]


@lru_cache(maxsize=65536)
def openssh_key(version: str) -> tuple[int, ...]:
    """OpenSSH ``9.2p1``: the portable release number ``pN`` orders after the base release."""
    return _ints(_OPENSSH.match(version.strip()), version, "OpenSSH")
