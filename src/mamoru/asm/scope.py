"""What an asset is, and whether an address is inside an organisation's approved scope.

Pure functions over plain values (no database): services validate what people type with
``normalise``, the scan runner checks every address against ``ApprovedSpace`` at scan
time. Private, loopback and reserved ranges are refused with the engine's own rule
(``mamoru.asm.engine.targets.scope_violation``) unless the operator allows them
(``settings.SCAN_ALLOW_PRIVATE``: the test suite and the demo lab).
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mamoru.asm.engine.ports import PortSpecError, parse_ports
from mamoru.asm.engine.targets import scope_violation

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# A municipality's own address blocks are small; a larger range is almost always a typo.
MAX_RANGE_ADDRESSES = 65_536
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


class Kind(enum.StrEnum):
    DOMAIN = "domain"  # a zone the organisation owns: DNS and mail checks, discovery
    HOSTNAME = "hostname"
    IP = "ip"
    RANGE = "range"
    URL = "url"


@dataclass(frozen=True)
class Normalised:
    """An asset's value as stored, and the ports it names itself (a URL's port)."""

    value: str
    ports: tuple[int, ...] = ()

    @property
    def network(self) -> IPNetwork | None:
        try:
            return ipaddress.ip_network(self.value, strict=False)
        except ValueError:
            return None


def hostname(text: str) -> str:
    """``text`` as an ASCII host name (IDNA, lower case, no trailing dot), or ValidationError."""
    name = text.strip().rstrip(".").lower()
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(
            _("「%(value)s」はホスト名として正しくありません。") % {"value": text}
        ) from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253 or not all(_LABEL.match(x) for x in labels):
        raise ValidationError(
            _("「%(value)s」はホスト名として正しくありません（例: www.city.example.lg.jp）。")
            % {"value": text}
        )
    return ascii_name


def _refuse(network: IPNetwork, text: str, *, allow_private: bool) -> None:
    reason = None if allow_private else scope_violation(network)
    if reason:
        raise ValidationError(
            _("「%(value)s」はインターネットから届かない範囲（%(reason)s）のため、診断できません。")
            % {"value": text, "reason": reason}
        )


def _address(text: str, *, allow_private: bool) -> Normalised:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        raise ValidationError(
            _("「%(value)s」は IP アドレスとして正しくありません。") % {"value": text}
        ) from None
    _refuse(ipaddress.ip_network(address), text, allow_private=allow_private)
    return Normalised(str(address))


def _range(text: str, *, allow_private: bool) -> Normalised:
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise ValidationError(
            _("「%(value)s」はアドレス範囲（例: 203.0.113.0/28）として正しくありません。")
            % {"value": text}
        ) from None
    if network.num_addresses > MAX_RANGE_ADDRESSES:
        raise ValidationError(
            _("「%(value)s」は広すぎます。%(max)d個以下のアドレスの範囲に分けて登録してください。")
            % {"value": text, "max": MAX_RANGE_ADDRESSES}
        )
    _refuse(network, text, allow_private=allow_private)
    return Normalised(str(network))


def _url(text: str, *, allow_private: bool) -> Normalised:
    bad = ValidationError(
        _("「%(value)s」は URL として正しくありません（http:// か https:// で始めてください）。")
        % {"value": text}
    )
    try:
        parts = urlsplit(text.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        raise bad from None
    if parts.scheme not in {"http", "https"} or not host:
        raise bad
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        network = ipaddress.ip_network(host)
    except ValueError:
        host = hostname(host)
    else:
        _refuse(network, text, allow_private=allow_private)
    shown = f"[{host}]" if ":" in host else host
    path = parts.path or "/"
    return Normalised(f"{parts.scheme}://{shown}:{port}{path}", (port,))


def normalise(kind: str, text: str, *, allow_private: bool) -> Normalised:
    """The stored form of an asset of ``kind`` typed as ``text``; ValidationError in Japanese."""
    if not text.strip():
        raise ValidationError(_("値を入力してください。"))
    if kind in {Kind.DOMAIN, Kind.HOSTNAME}:
        return Normalised(hostname(text))
    if kind == Kind.IP:
        return _address(text, allow_private=allow_private)
    if kind == Kind.RANGE:
        return _range(text, allow_private=allow_private)
    if kind == Kind.URL:
        return _url(text, allow_private=allow_private)
    raise ValidationError(_("資産の種類「%(kind)s」はありません。") % {"kind": kind})


def ports_spec(text: str) -> str:
    """A port specification as people type it (``22,443,8443``, ``top100``); '' for default."""
    if not text.strip():
        return ""
    try:
        parse_ports(text)
    except PortSpecError as error:
        raise ValidationError(
            _("ポートの指定「%(value)s」が正しくありません（例: 22,443,8000-8080）: %(error)s")
            % {"value": text, "error": error}
        ) from None
    return ",".join(part.strip() for part in text.split(","))


def url_host(value: str) -> str:
    """The host of a stored URL asset (brackets removed from an IPv6 address)."""
    return (urlsplit(value).hostname or "").lower()


def is_name(kind: str, value: str) -> bool:
    """Whether a stored asset is reached through DNS (a name, or a URL with a name)."""
    if kind in {Kind.DOMAIN, Kind.HOSTNAME}:
        return True
    if kind == Kind.URL:
        try:
            ipaddress.ip_address(url_host(value))
        except ValueError:
            return True
    return False


def within_domains(name: str, domains: Iterable[str]) -> bool:
    """Whether ``name`` is one of ``domains`` or a name below one of them."""
    name = name.rstrip(".").lower()
    return any(name == d or name.endswith("." + d) for d in domains)


@dataclass
class ApprovedSpace:
    """The addresses an organisation approved for scanning: its IP and range assets, and
    the addresses its approved names resolved to when they were approved."""

    networks: list[IPNetwork] = field(default_factory=list)

    def add(self, text: str) -> None:
        try:
            self.networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            return

    def contains(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip.version == net.version and ip in net for net in self.networks)


def private_reason(address: str) -> str | None:
    """Why ``address`` must not be scanned from the internet side (private, loopback…)."""
    try:
        return scope_violation(ipaddress.ip_address(address))
    except ValueError:
        return _("アドレスとして正しくありません")
