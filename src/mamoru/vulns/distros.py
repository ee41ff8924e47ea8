"""Distributions: OSV ecosystems, and what a banner tells about the package that runs.

``OpenSSH_9.2p1 Debian-2+deb12u3`` → the engine reports version ``9.2p1`` with
``extra={"os": "Debian", "distro_package": "2+deb12u3"}``: Debian's package revision,
which names the release (``deb12``) and carries backported fixes that the upstream
version does not show. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_FAMILIES = {
    "debian": "debian",
    "raspbian": "debian",
    "ubuntu": "ubuntu",
    "red hat": "rhel",
    "red hat enterprise linux": "rhel",
    "rhel": "rhel",
    "centos": "rhel",
    "almalinux": "almalinux",
    "rocky": "rocky",
    "rocky linux": "rocky",
}
SCHEMES = {"debian": "dpkg", "ubuntu": "dpkg", "rhel": "rpm", "almalinux": "rpm", "rocky": "rpm"}
_DEBIAN_RELEASE = re.compile(r"deb(\d+)u\d+")
_UBUNTU_RELEASE = re.compile(r"(\d\d\.\d\d)(?:\.\d+)?$")
_EL_RELEASE = re.compile(r"\.el(\d+)")


def ecosystem_release(ecosystem: str) -> tuple[str, str]:
    """(family, release) of an OSV ecosystem: ``Ubuntu:22.04:LTS`` → (ubuntu, 22.04).

    Red Hat's extended-support streams (EUS, AUS, E4S) get families of their own: their
    fixed versions are lower than the main stream's and must not clear a main-stream host.
    """
    parts = ecosystem.split(":")
    name = parts[0].lower()
    if name == "red hat":
        stream = parts[1] if len(parts) > 1 else ""
        release = parts[2] if len(parts) > 2 else ""
        family = "rhel" if stream in {"enterprise_linux", "rhel"} else f"rhel-{stream[:10]}"
        return family, release.split(".")[0] if family == "rhel" else release
    if name == "ubuntu":
        release = next((p for p in parts[1:] if re.fullmatch(r"\d\d\.\d\d", p)), "")
        return "ubuntu", release
    family = _FAMILIES.get(name, name.replace(" ", "-"))
    return family, parts[1].split(".")[0] if len(parts) > 1 else ""


@dataclass(frozen=True, slots=True)
class InstalledPackage:
    family: str  # debian, ubuntu, rhel, ...
    release: str  # "" when the banner does not reveal it
    revision: str  # the distribution's part of the version: "2+deb12u3", "38.el9_4.1"
    scheme: str

    def full_version(self, upstream: str, epoch: str = "") -> str:
        """The package version as the distribution spells it, with the fix's epoch
        (banners never show epochs, and a release keeps one epoch per package)."""
        version = f"{upstream}-{self.revision}" if self.revision else upstream
        return f"{epoch}:{version}" if epoch else version


def installed_package(extra: Mapping[str, str]) -> InstalledPackage | None:
    """What the banner says about the distribution package, if anything."""
    family = _FAMILIES.get(str(extra.get("os", "")).strip().lower())
    revision = str(extra.get("distro_package", "")).strip()
    if family is None or not revision:
        return None
    release = str(extra.get("distro_release", "")).strip()
    if not release:
        release = _release_from_revision(family, revision)
    return InstalledPackage(family, release, revision, SCHEMES[family])


def _release_from_revision(family: str, revision: str) -> str:
    pattern = {"debian": _DEBIAN_RELEASE, "rhel": _EL_RELEASE, "almalinux": _EL_RELEASE}.get(
        family, _EL_RELEASE if family == "rocky" else None
    )
    if family == "ubuntu":
        match = _UBUNTU_RELEASE.search(revision)
        return match.group(1) if match else ""
    match = pattern.search(revision) if pattern else None
    return match.group(1) if match else ""


def epoch_of(version: str) -> str:
    head, sep, _ = version.partition(":")
    return head if sep and head.isdigit() else ""


def upstream_of(version: str) -> str:
    """The upstream part of a distribution version: ``1:9.2p1-2+deb12u3`` → ``9.2p1``."""
    without_epoch = version.split(":", 1)[1] if epoch_of(version) else version
    return without_epoch.rsplit("-", 1)[0]
