"""From a scanned service (or a banner) to what matching needs: a canonical product key,
a version and whether it was seen or inferred, the CPE target, and the distribution
package when the banner reveals one. Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mamoru.vulns import cpe as cpelib
from mamoru.vulns import products, versions
from mamoru.vulns.applicability import Target, cpe_version
from mamoru.vulns.distros import InstalledPackage, installed_package
from mamoru.vulns.observed import ObservedProduct, ServiceLike

_SSH = re.compile(
    r"(?:SSH-[\d.]+-)?OpenSSH_(?P<version>[\w.]+)(?:\s+(?P<os>Debian|Ubuntu|Raspbian)-(?P<pkg>\S+))?",
    re.IGNORECASE,
)
_PRODUCT_SLASH = re.compile(
    r"^(?P<product>[A-Za-z][\w.\- ]*?)/(?P<version>\d[\w.\-]*)(?:\s+\((?P<os>[^)]+)\))?"
)
_INFERRED = frozenset({"inferred", "estimated", "range"})


@dataclass(frozen=True, slots=True)
class Identity:
    product_key: str
    version: str
    version_inferred: bool
    scheme: str
    target: Target
    installed: InstalledPackage | None = None
    service: str = ""
    product_label: str = ""
    vendor_known: bool = True
    reasons: tuple[str, ...] = field(default=())

    @property
    def cache_key(self) -> tuple[object, ...]:
        return (
            self.product_key,
            self.version,
            self.version_inferred,
            self.installed,
            str(self.target.product),
            self.service,
        )


def parse_banner(banner: str) -> ServiceLike:
    """A minimal banner reader for ``mamoru vulns match --banner`` (the scanning engine has
    the real fingerprint rules): OpenSSH with its distribution suffix, and Product/Version."""
    text = banner.strip()
    ssh = _SSH.search(text)
    if ssh:
        extra = {}
        if ssh.group("os"):
            extra = {"os": ssh.group("os").capitalize(), "distro_package": ssh.group("pkg")}
        return ObservedProduct(
            ip="0.0.0.0", port=22, service="ssh", product="OpenSSH",  # noqa: S104 - a placeholder, never bound
            vendor="OpenBSD", version=ssh.group("version"), extra=extra,
        )  # fmt: skip
    slash = _PRODUCT_SLASH.match(text)
    if slash:
        extra = {"os": slash.group("os").split()[0]} if slash.group("os") else {}
        return ObservedProduct(
            ip="0.0.0.0", port=0, service="", product=slash.group("product").strip(),  # noqa: S104
            version=slash.group("version"), extra=extra,
        )  # fmt: skip
    return ObservedProduct(ip="0.0.0.0", port=0, service="", product=text or None)  # noqa: S104


def _from_cpe(service: ServiceLike) -> cpelib.Cpe | None:
    if not service.cpe:
        return None
    try:
        return cpelib.parse(service.cpe)
    except cpelib.InvalidCpeError:
        return None


def _product_cpe(key: str, parsed: cpelib.Cpe | None) -> cpelib.Cpe:
    if (
        parsed is not None
        and products.product_key(parsed.value("vendor"), parsed.value("product")) == key
    ):
        return cpelib.Cpe(**{**_fields(parsed), "version": cpelib.ANY, "update": cpelib.ANY})
    vendor, _, product = key.partition(":")
    return cpelib.Cpe(cpelib.ANY, vendor or cpelib.ANY, product)


def _fields(name: cpelib.Cpe) -> dict[str, str]:
    return {attribute: getattr(name, attribute) for attribute in cpelib.ATTRIBUTES}


def _platforms(installed: InstalledPackage | None) -> tuple[cpelib.Cpe, ...]:
    if installed is None:
        return ()
    names = {
        "debian": ("debian", "debian_linux"),
        "ubuntu": ("canonical", "ubuntu_linux"),
        "rhel": ("redhat", "enterprise_linux"),
    }
    if installed.family not in names:
        return ()
    vendor, product = names[installed.family]
    return (cpelib.Cpe("o", vendor, product, installed.release or cpelib.ANY),)


def identify(service: ServiceLike) -> Identity | None:
    """What matching needs to know about a service, or None without product or version."""
    parsed = _from_cpe(service)
    if parsed is not None:
        key = products.product_key(parsed.value("vendor"), parsed.value("product"))
    else:
        key = products.product_key(service.vendor, service.product)
    if key.endswith(":"):
        return None
    scheme = versions.scheme_for_product(key)
    version = (service.version or "").strip()
    if not version and parsed is not None:
        version = cpe_version(parsed, scheme)
    if not version:
        return None
    extra = service.extra or {}
    inferred = extra.get("version_confidence", "").lower() in _INFERRED
    installed = installed_package(extra)
    target = Target(_product_cpe(key, parsed), version, scheme, _platforms(installed))
    return Identity(
        product_key=key,
        version=version,
        version_inferred=inferred,
        scheme=scheme,
        target=target,
        installed=installed,
        service=service.service,
        product_label=service.product or key.split(":", 1)[-1],
        vendor_known=not key.startswith(":"),
    )
