"""Certificates for the lab's TLS endpoints, made with ``cryptography`` in milliseconds.

Three shapes cover the TLS findings: a good leaf signed by a lab CA, an expired
self-signed one, and a current one with a 1024-bit RSA key signed with SHA-1.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

_NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path


def _key(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mamoru lab"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write(directory: Path, stem: str, cert: x509.Certificate, key: rsa.RSAPrivateKey) -> CertFiles:
    files = CertFiles(directory / f"{stem}.crt", directory / f"{stem}.key")
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    files.key.chmod(0o644)  # the web servers' workers read it as www-data
    return files


def _san(names: list[str]) -> x509.SubjectAlternativeName:
    general: list[x509.GeneralName] = []
    for name in names:
        try:
            general.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            general.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(general)


class LabCA:
    """A throw-away certificate authority for the lab."""

    def __init__(self) -> None:
        self.key = _key(2048)
        self.name = _name("mamoru lab CA")
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_NOW - dt.timedelta(days=1))
            .not_valid_after(_NOW + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def leaf(self, directory: Path, stem: str, names: list[str], *, days: int = 90) -> CertFiles:
        """A current, sound leaf certificate for ``names`` (the first one is the CN)."""
        key = _key(2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_NOW - dt.timedelta(days=1))
            .not_valid_after(_NOW + dt.timedelta(days=days))
            .add_extension(_san(names), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return _write(directory, stem, cert, key)

    def weak_leaf(self, directory: Path, stem: str, names: list[str]) -> CertFiles:
        """A current leaf with a 1024-bit RSA key signed with SHA-1.

        ``cryptography`` refuses to sign with SHA-1, so Debian's openssl command does it.
        """
        ca = _write(directory, "lab-ca", self.cert, self.key)
        files = CertFiles(directory / f"{stem}.crt", directory / f"{stem}.key")
        csr = directory / f"{stem}.csr"
        san = ",".join(f"DNS:{n}" for n in names)
        subprocess.run(
            ["openssl", "req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", str(files.key),
             "-out", str(csr), "-subj", f"/CN={names[0]}", "-addext", f"subjectAltName={san}"],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            ["openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca.cert), "-CAkey",
             str(ca.key), "-set_serial", "1", "-sha1", "-days", "365", "-copy_extensions",
             "copy", "-out", str(files.cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        files.key.chmod(0o644)
        return files


def expired_self_signed(directory: Path, stem: str, names: list[str]) -> CertFiles:
    """A self-signed certificate whose validity ended 30 days ago."""
    key = _key(2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(names[0]))
        .issuer_name(_name(names[0]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOW - dt.timedelta(days=400))
        .not_valid_after(_NOW - dt.timedelta(days=30))
        .add_extension(_san(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _write(directory, stem, cert, key)
