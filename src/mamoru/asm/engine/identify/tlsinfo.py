"""What a TLS handshake shows: the negotiated version and the certificate's plain facts.

Deeper TLS assessment (every accepted version, expiry and name findings) belongs to the
checks; identification only records what one ordinary handshake gives for free.
"""

from __future__ import annotations

import asyncio
import ssl
from datetime import UTC

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from mamoru.asm.engine.model import TlsInfo


def _key(cert: x509.Certificate) -> tuple[str | None, int | None]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    return None, None


# Spelled as Go's crypto/x509 spells them, which is how Recog's x509 databases read subjects.
_NAME_OVERRIDES = {
    NameOID.SERIAL_NUMBER: "SERIALNUMBER",
    NameOID.POSTAL_CODE: "POSTALCODE",
    NameOID.STREET_ADDRESS: "STREET",
}


def subject_text(name: x509.Name) -> str:
    """A distinguished name as RFC 4514 text, most specific part first (``CN=…,O=…,C=…``)."""
    return name.rfc4514_string(_NAME_OVERRIDES)


def _cn(name: x509.Name) -> str | None:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else None


def _sans(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    names = [str(n) for n in ext.value.get_values_for_type(x509.DNSName)]
    names += [str(ip) for ip in ext.value.get_values_for_type(x509.IPAddress)]
    return tuple(names)


def tls_info(writer: asyncio.StreamWriter) -> TlsInfo | None:
    """Facts about the TLS session on ``writer``; ``None`` when it is not TLS."""
    sslobj: ssl.SSLObject | None = writer.get_extra_info("ssl_object")
    if sslobj is None:
        return None
    version = sslobj.version()
    der = sslobj.getpeercert(binary_form=True)
    if not der:
        return TlsInfo(versions=(version,) if version else ())
    cert = x509.load_der_x509_certificate(der)
    key_type, key_bits = _key(cert)
    algorithm = cert.signature_hash_algorithm
    return TlsInfo(
        versions=(version,) if version else (),
        subject_cn=_cn(cert.subject),
        subject=subject_text(cert.subject),
        subject_alt_names=_sans(cert),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc.astimezone(UTC).isoformat(),
        not_after=cert.not_valid_after_utc.astimezone(UTC).isoformat(),
        self_signed=cert.issuer == cert.subject,
        key_type=key_type,
        key_bits=key_bits,
        signature_algorithm=algorithm.name if algorithm else None,
    )
