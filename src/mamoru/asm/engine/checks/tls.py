"""TLS inspection: which protocol versions a server accepts, and what its certificate says.

One handshake per protocol version, all at once. Verification is off for the handshakes;
trust questions (expiry, self-signed, name) are judged here from the parsed certificate.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import ipaddress
import ssl

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from mamoru.asm.engine.checks._net import connect, insecure_context
from mamoru.asm.engine.checks.catalogue import new_finding
from mamoru.asm.engine.model import Evidence, Finding, Service, TlsInfo

VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
LEGACY = ("TLSv1", "TLSv1.1")
EXPIRY_WARNING = dt.timedelta(days=30)
MIN_RSA_BITS = 2048
MIN_EC_BITS = 224


async def _handshake(
    ip: str, port: int, version: str, hostname: str | None, timeout: float
) -> bytes | None:
    """The server's DER certificate if it completes a handshake at ``version``, else None."""
    tls_version = VERSIONS[version]
    context = insecure_context(tls_version, tls_version)
    try:
        async with connect(ip, port, timeout=timeout, tls=context, server_hostname=hostname) as (
            _reader,
            writer,
        ):
            ssl_object = writer.get_extra_info("ssl_object")
            if not isinstance(ssl_object, ssl.SSLObject) or ssl_object.version() != version:
                return None
            return ssl_object.getpeercert(binary_form=True) or b""
    except (OSError, TimeoutError, ssl.SSLError, EOFError):
        return None


def _names(cert: x509.Certificate) -> tuple[str | None, tuple[str, ...]]:
    cn_attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(cn_attrs[0].value) if cn_attrs else None
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    except x509.ExtensionNotFound:
        return cn, ()
    assert isinstance(san, x509.SubjectAlternativeName)
    dns = san.get_values_for_type(x509.DNSName)
    ips = [str(a) for a in san.get_values_for_type(x509.IPAddress)]
    return cn, (*dns, *ips)


def _key(cert: x509.Certificate) -> tuple[str | None, int | None]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    return None, None


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, Exception):
        return False
    return True


def name_matches(hostname: str, names: tuple[str, ...]) -> bool:
    """RFC 6125 matching: exact, or a wildcard in the whole left-most label only."""
    try:
        wanted_ip = ipaddress.ip_address(hostname)
    except ValueError:
        wanted_ip = None
    host = hostname.lower().rstrip(".")
    for raw in names:
        name = raw.lower().rstrip(".")
        if wanted_ip is not None:
            with_ip = _as_ip(name)
            if with_ip is not None and with_ip == wanted_ip:
                return True
            continue
        if name == host:
            return True
        wildcard = name.startswith("*.") and name.count(".") >= 2 and "." in host
        if wildcard and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _as_ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def parse_certificate(der: bytes, *, hostname: str | None) -> TlsInfo:
    """The certificate facts of ``TlsInfo`` (without versions) from a DER certificate."""
    cert = x509.load_der_x509_certificate(der)
    cn, sans = _names(cert)
    key_type, key_bits = _key(cert)
    # RFC 6125: a certificate with SANs is matched against them only, never against the CN.
    names = sans or ((cn,) if cn else ())
    return TlsInfo(
        subject_cn=cn,
        subject_alt_names=sans,
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        self_signed=_self_signed(cert),
        hostname_matches=name_matches(hostname, names) if hostname else None,
        key_type=key_type,
        key_bits=key_bits,
        signature_algorithm=cert.signature_algorithm_oid._name,
    )


async def tls_inspect(ip: str, port: int, *, hostname: str | None, timeout: float) -> TlsInfo:
    """Accepted TLS versions and certificate facts of ``ip:port`` (SNI ``hostname``).

    Returns an empty ``TlsInfo`` (no versions) when no TLS handshake succeeds.
    ``hostname_matches`` is None when no hostname is given: an address scan has no name
    to compare the certificate with.
    """
    results = await asyncio.gather(
        *(_handshake(ip, port, version, hostname, timeout) for version in VERSIONS)
    )
    accepted = tuple(v for v, der in zip(VERSIONS, results, strict=True) if der is not None)
    certificates = [der for der in results if der]
    if not certificates:
        return TlsInfo(versions=accepted)
    info = parse_certificate(certificates[-1], hostname=hostname)
    return dataclasses.replace(info, versions=accepted)


def tls_findings(
    service: Service, info: TlsInfo, *, now: dt.datetime | None = None
) -> list[Finding]:
    """The TLS findings for one service's inspected ``TlsInfo``."""
    now = now or dt.datetime.now(dt.UTC)
    evidence = (Evidence("tls-handshake", _summary(info)),)
    problems = _certificate_problems(info, now)
    legacy = [v for v in info.versions if v in LEGACY]
    if legacy:
        problems.append(("tls-legacy-protocol", {"versions": ", ".join(legacy)}))
    return [
        new_finding(kind, ip=service.ip, port=service.port, hostname=service.hostname,
                    evidence=evidence, details=details)
        for kind, details in problems
    ]  # fmt: skip


def _certificate_problems(info: TlsInfo, now: dt.datetime) -> list[tuple[str, dict[str, str]]]:
    problems: list[tuple[str, dict[str, str]]] = []
    if info.not_after and info.not_before:
        not_after = dt.datetime.fromisoformat(info.not_after)
        not_before = dt.datetime.fromisoformat(info.not_before)
        if not_after < now or not_before > now:
            problems.append(("tls-expired-certificate", {"not_before": info.not_before,
                                                         "not_after": info.not_after}))  # fmt: skip
        elif not_after - now < EXPIRY_WARNING:
            problems.append(("tls-certificate-expiring-soon", {"not_after": info.not_after}))
    if info.self_signed:
        problems.append(("tls-self-signed", {"issuer": info.issuer or ""}))
    if info.hostname_matches is False:
        names = ", ".join(info.subject_alt_names) or (info.subject_cn or "")
        problems.append(("tls-hostname-mismatch", {"certificate_names": names}))
    if _weak_key(info):
        problems.append(("tls-weak-key", {"key": f"{info.key_type} {info.key_bits} bit"}))
    signature = (info.signature_algorithm or "").lower()
    if "sha1" in signature or "md5" in signature or "md2" in signature:
        problems.append(("tls-weak-signature", {"signature_algorithm": signature}))
    return problems


def _weak_key(info: TlsInfo) -> bool:
    if info.key_bits is None:
        return False
    if info.key_type in ("RSA", "DSA"):
        return info.key_bits < MIN_RSA_BITS
    if info.key_type == "EC":
        return info.key_bits < MIN_EC_BITS
    return False


def _summary(info: TlsInfo) -> str:
    return (
        f"versions={','.join(info.versions)} cn={info.subject_cn} issuer={info.issuer} "
        f"not_after={info.not_after} key={info.key_type}/{info.key_bits} "
        f"sig={info.signature_algorithm}"
    )[:300]
