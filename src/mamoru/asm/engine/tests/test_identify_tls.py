"""TLS: the handshake, then the protocol inside (HTTPS, and IMAPS-style greetings)."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.identify.testing import Handler, HttpSite, Page, greeting, html
from mamoru.asm.engine.model import Service


@pytest.fixture(scope="module")
def server_tls(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portal.city.example.jp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("portal.city.example.jp")]), False)
        .sign(key, hashes.SHA256())
    )
    directory: Path = tmp_path_factory.mktemp("tls")
    (directory / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(directory / "c.pem", directory / "k.pem")
    return ctx


def identify_tls(handler: Handler, ctx: ssl.SSLContext) -> Service | None:
    async def go() -> Service | None:
        server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=ctx)
        port = int(server.sockets[0].getsockname()[1])
        async with server:
            return await identify("127.0.0.1", port, hostname="portal.city.example.jp", timeout=0.5)

    return asyncio.run(go())


def test_https_is_identified_inside_tls_with_certificate_facts(server_tls: ssl.SSLContext) -> None:
    site = HttpSite({"/": Page(200, (), html("Portal"))}, server="nginx/1.22.1")
    svc = identify_tls(site, server_tls)
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("https", "nginx", "1.22.1")
    assert svc.tls is not None
    assert svc.tls.versions == ("TLSv1.3",)
    assert svc.tls.subject_cn == "portal.city.example.jp"
    assert svc.tls.self_signed is True
    assert (svc.tls.key_type, svc.tls.key_bits) == ("EC", 256)
    assert svc.evidence[0].probe == "tls-handshake"
    assert site.requested[0] == "GET /"


def test_a_greeting_inside_tls_is_read(server_tls: ssl.SSLContext) -> None:
    svc = identify_tls(greeting(b"* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n"), server_tls)
    assert svc is not None
    assert (svc.service, svc.product) == ("imaps", "Dovecot")
    assert svc.tls is not None
    assert svc.tls.subject_alt_names == ("portal.city.example.jp",)
