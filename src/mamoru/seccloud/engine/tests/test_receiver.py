"""The syslog receiver on 127.0.0.1: UDP, TCP (octet counting and newline framing), TLS;
segments closed by size and by age, recovered after a crash, then ingested."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from pathlib import Path

import zstandard
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mamoru.seccloud.engine.ingest import ingest
from mamoru.seccloud.engine.receiver import (
    ReceiverConfig,
    SegmentSpool,
    SyslogReceiver,
    recover_open_segments,
)
from mamoru.seccloud.engine.testing import RANGES
from mamoru.seccloud.engine.tests import samples as s

DENY = "<189>" + s.FORTIGATE_DENY
IPS = "<185>" + s.FORTIGATE_IPS
RFC5424 = (
    "<134>1 2026-10-05T10:06:00+09:00 cp-gw01 CheckPoint - - - "
    + s.CEF_CHECKPOINT.split(" cp-gw01 ", 1)[1]
)


def _lines(path: Path) -> list[str]:
    data = zstandard.ZstdDecompressor().stream_reader(path.read_bytes(), read_across_frames=True)
    return data.read().decode().splitlines()


def _certificate(tmp: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    client = ssl.create_default_context(cafile=str(tmp / "cert.pem"))
    return server, client


async def _exchange(tmp: Path) -> SyslogReceiver:
    server_tls, client_tls = _certificate(tmp)
    receiver = SyslogReceiver(
        ReceiverConfig(
            spool=tmp / "spool", udp_port=0, tcp_port=0, tls_port=0, tls_context=server_tls
        )
    )
    await receiver.start()
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, remote_addr=("127.0.0.1", receiver.ports["udp"])
    )
    transport.sendto(s.FORTIGATE_TRAFFIC.encode())
    transport.sendto(RFC5424.encode())
    transport.close()
    _, writer = await asyncio.open_connection("127.0.0.1", receiver.ports["tcp"])
    framed = DENY.encode()
    writer.write(str(len(framed)).encode() + b" " + framed)  # octet counting
    writer.write(s.SQUID_DENIED.encode() + b"\n")  # newline framing
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    _, writer = await asyncio.open_connection(
        "127.0.0.1", receiver.ports["tls"], ssl=client_tls, server_hostname="localhost"
    )
    secret = IPS.encode()
    writer.write(str(len(secret)).encode() + b" " + secret)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    for _ in range(200):  # the datagrams and streams arrive asynchronously
        assert receiver.spool is not None
        if len(receiver.spool._buffer) >= 5:
            break
        await asyncio.sleep(0.01)
    await receiver.stop()
    return receiver


def test_udp_tcp_and_tls_messages_land_in_a_closed_segment_and_ingest(tmp_path: Path) -> None:
    receiver = asyncio.run(_exchange(tmp_path))
    assert receiver.spool is not None
    (segment,) = receiver.spool.closed
    lines = _lines(segment)
    assert sorted(lines) == sorted([s.FORTIGATE_TRAFFIC, RFC5424, DENY, s.SQUID_DENIED, IPS])
    result = ingest([segment], store=tmp_path / "store", prefecture="13", ranges=RANGES)
    assert (result.rows_stored, result.rows_quarantined) == (5, 0)


def test_segments_close_by_size_and_by_age(tmp_path: Path) -> None:
    now = [0.0]
    spool = SegmentSpool(tmp_path, max_bytes=100, max_seconds=60, clock=lambda: now[0])
    for n in range(6):
        spool.add(f"<14>message number {n:02d} with some padding text".encode())
    assert len(spool.closed) == 2  # 45 bytes a line: closed after the 3rd and the 6th
    spool.add(b"<14>late one\nwith a line feed")
    assert spool.tick() is None
    now[0] = 61.0
    aged = spool.tick()
    assert aged is not None
    assert _lines(aged) == ["<14>late one#012with a line feed"]


def test_a_crashed_segment_keeps_its_complete_frames(tmp_path: Path) -> None:
    spool = SegmentSpool(tmp_path, max_bytes=1 << 20, max_seconds=60)
    spool.add(b"<14>first")
    spool.flush()
    spool.add(b"<14>second")
    spool.flush()
    (open_file,) = (tmp_path / "open").iterdir()
    with open_file.open("ab") as handle:  # a frame cut short by SIGKILL
        handle.write(zstandard.ZstdCompressor().compress(b"<14>third\n")[:9])
    (recovered,) = recover_open_segments(tmp_path)
    assert _lines(recovered) == ["<14>first", "<14>second"]
    assert not list((tmp_path / "open").iterdir())
