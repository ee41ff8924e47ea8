"""identify() against in-process servers on 127.0.0.1 that speak each protocol."""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.identify.engine import Context, plan
from mamoru.asm.engine.identify.testing import (
    Handler,
    HttpSite,
    Page,
    greeting,
    html,
    replies,
    serve,
)
from mamoru.asm.engine.model import Service

T = TypeVar("T")
IAC, DO, WILL, WONT, DONT = 255, 253, 251, 252, 254


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def identify_with(handler: Handler, timeout: float = 0.3) -> Service | None:
    async def go() -> Service | None:
        async with serve(handler) as port:
            found = await identify("127.0.0.1", port, timeout=timeout)
            await asyncio.sleep(0.05)  # let the server side see what we sent last
            return found

    return run(go())


def test_it_reads_an_ssh_banner_with_distro_details() -> None:
    svc = identify_with(greeting(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("ssh", "OpenSSH", "9.2p1")
    assert svc.extra["os"] == "Debian"
    assert svc.extra["distro_package"] == "2+deb12u3"
    assert svc.cpe == "cpe:2.3:a:openbsd:openssh:9.2p1:*:*:*:*:*:*:*"
    assert svc.evidence[0].probe == "banner"
    assert svc.evidence[0].rule == "ssh.openssh-distro"


def test_it_reads_a_multiline_ftp_greeting() -> None:
    svc = identify_with(greeting(b"220-Welcome to the city FTP\r\n220 (vsFTPd 3.0.3)\r\n"))
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("ftp", "vsFTPd", "3.0.3")


def test_it_greets_an_smtp_server_with_ehlo() -> None:
    ehlo = b"250-mx.example.jp\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n"
    handler = greeting(
        b"220 mx.example.jp ESMTP Exim 4.96 Mon, 01 Jan 2024 09:00:00 +0900\r\n",
        {b"EHLO": ehlo, b"QUIT": b"221 bye\r\n"},
    )
    svc = identify_with(handler)
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("smtp", "exim", "4.96")
    assert "STARTTLS" in svc.extra["smtp_extensions"].split()
    assert [e.probe for e in svc.evidence] == ["banner", "smtp-ehlo"]


def test_it_reads_pop3_and_imap_greetings() -> None:
    pop = identify_with(greeting(b"+OK Dovecot (Debian) ready.\r\n"))
    imap = identify_with(greeting(b"* OK [CAPABILITY IMAP4rev1] Dovecot (Ubuntu) ready.\r\n"))
    assert pop is not None
    assert (pop.service, pop.product) == ("pop3", "Dovecot")
    assert imap is not None
    assert (imap.service, imap.product, imap.extra["os"]) == (
        "imap",
        "Dovecot",
        "Ubuntu",
    )


def mysql_greeting(version: bytes) -> bytes:
    payload = b"\x0a" + version + b"\x00" + struct.pack("<I", 42) + b"abcdefgh\x00" + b"\xff\xf7"
    return len(payload).to_bytes(3, "little") + b"\x00" + payload


def test_it_parses_a_mariadb_handshake() -> None:
    svc = identify_with(greeting(mysql_greeting(b"5.5.5-10.11.6-MariaDB-0+deb12u1")))
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("mysql", "MariaDB", "10.11.6")
    assert svc.cpe == "cpe:2.3:a:mariadb:mariadb:10.11.6:*:*:*:*:*:*:*"
    assert svc.evidence[0].probe == "mysql-greeting"


def test_it_answers_telnet_negotiation_and_reads_the_prompt() -> None:
    answers: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(bytes((IAC, DO, 24, IAC, WILL, 1)))
        await writer.drain()
        answers.append(await asyncio.wait_for(reader.readexactly(6), 2))
        writer.write(b"MikroTik v6.49.10 (long-term)\r\nLogin: ")
        await writer.drain()
        await asyncio.sleep(0.5)

    svc = identify_with(handler)
    # Every option refused, on the connection that listened (the other probes ran alongside).
    assert [a for a in answers if a[0] == IAC] == [bytes((IAC, WONT, 24, IAC, DONT, 1))]
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("telnet", "RouterOS", "6.49.10")


def test_it_recognises_vnc() -> None:
    svc = identify_with(greeting(b"RFB 003.008\n"))
    assert svc is not None
    assert svc.service == "vnc"
    assert svc.extra["protocol_version"] == "003.008"


REDIS_INFO = b"$60\r\n# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nos:Linux\r\n\r\n"


def test_it_reads_redis_info_when_no_password_is_set() -> None:
    svc = identify_with(replies({b"PING": b"+PONG\r\n", b"INFO": REDIS_INFO}))
    assert svc is not None
    assert (svc.service, svc.product, svc.version, svc.extra["auth"]) == (
        "redis",
        "Redis",
        "7.0.15",
        "none",
    )
    assert svc.cpe == "cpe:2.3:a:redis:redis:7.0.15:*:*:*:*:*:*:*"


def test_it_detects_a_redis_password_from_noauth() -> None:
    svc = identify_with(replies({b"PING": b"-NOAUTH Authentication required.\r\n"}))
    assert svc is not None
    assert (svc.service, svc.version, svc.extra["auth"]) == ("redis", None, "required")


def test_it_asks_memcached_for_its_version() -> None:
    svc = identify_with(replies({b"version": b"VERSION 1.6.21\r\n"}))
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("memcached", "memcached", "1.6.21")


def test_it_reads_postgresql_auth_request_without_logging_in() -> None:
    sessions: list[list[bytes]] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen: list[bytes] = []
        sessions.append(seen)
        seen.append(await reader.readexactly(8))
        writer.write(b"N")
        await writer.drain()
        head = await reader.readexactly(4)
        seen.append(head + await reader.readexactly(struct.unpack("!I", head)[0] - 4))
        body = struct.pack("!I", 10) + b"SCRAM-SHA-256\x00\x00"
        writer.write(b"R" + struct.pack("!I", 4 + len(body)) + body)
        await writer.drain()
        seen.append(await asyncio.wait_for(reader.read(16), 2))

    svc = identify_with(handler)
    assert svc is not None
    assert (svc.service, svc.product) == ("postgresql", "PostgreSQL")
    assert svc.extra == {"ssl": "unsupported", "auth": "sasl", "auth_mechanisms": "SCRAM-SHA-256"}
    pg = next(s for s in sessions if s and s[0] == struct.pack("!II", 8, 80877103))
    assert b"user\x00mamoru-asm\x00" in pg[1]
    assert pg[2].startswith(b"X")  # terminated, no password message


def test_it_negotiates_rdp_security() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readexactly(19)
        wanted = struct.unpack("<I", request[15:19])[0]
        # NLA-only server: selects CredSSP, refuses legacy RDP security.
        tail = struct.pack("<BBHI", 2, 0, 8, 2) if wanted else struct.pack("<BBHI", 3, 0, 8, 5)
        writer.write(b"\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00" + tail)
        await writer.drain()

    svc = identify_with(handler)
    assert svc is not None
    assert svc.service == "rdp"
    assert svc.extra == {"rdp_selected_protocol": "HYBRID", "rdp_standard_security": "false"}


def smb2_negotiate_response(dialect: int, security_mode: int) -> bytes:
    header = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, b"")
    body = struct.pack(
        "<HHHH16sIIII", 65, security_mode, dialect, 0, b"G" * 16, 0, 65536, 65536, 65536
    )
    message = header + body + b"\x00" * 24
    return struct.pack("!I", len(message)) + message


def test_it_reads_the_smb2_dialect_and_signing() -> None:
    svc = identify_with(replies({b"\x00\x00": smb2_negotiate_response(0x0311, 0x03)}))
    assert svc is not None
    assert svc.service == "smb"
    assert (svc.extra["smb_dialect"], svc.extra["smb_signing"]) == ("3.1.1", "required")


def test_http_technology_comes_from_headers_cookies_title_and_generator() -> None:
    site = HttpSite(
        {
            "/": Page(
                200,
                (("X-Powered-By", "PHP/8.2.7"), ("Set-Cookie", "PHPSESSID=abc; path=/")),
                html("市役所 ホーム", '<meta name="generator" content="WordPress 6.4.2">'),
            ),
            "/favicon.ico": Page(200, (), b"\x00\x00\x01\x00icon"),
        },
        server="nginx/1.22.1",
    )
    svc = identify_with(site)
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("http", "nginx", "1.22.1")
    assert svc.extra["http_title"] == "市役所 ホーム"
    assert svc.extra["http_technologies"] == "PHP 8.2.7, WordPress 6.4.2"
    assert svc.extra["favicon_mmh3"].lstrip("-").isdigit()
    assert "vpn" not in svc.extra
    assert "GET /" in site.requested
    assert all(r.startswith("GET ") for r in site.requested)


def test_a_proxy_is_only_asked_to_connect_to_the_scanned_host_itself() -> None:
    asked: list[str] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        asked.append(head.split("\r\n")[0])
        status = "200 Connection established" if head.startswith("CONNECT") else "400 Bad Request"
        writer.write(
            f"HTTP/1.1 {status}\r\nServer: squid/5.7\r\nContent-Length: 0\r\n\r\n".encode()
        )
        await writer.drain()

    async def go() -> tuple[int, Service | None]:
        async with serve(handler) as port:
            return port, await identify("127.0.0.1", port, timeout=0.5)

    port, svc = run(go())
    assert svc is not None
    assert svc.product == "Squid"
    assert svc.extra["proxy_connect"] == "allowed"
    connects = [a for a in asked if a.startswith("CONNECT")]
    assert connects == [f"CONNECT 127.0.0.1:{port} HTTP/1.1"]


def test_unrecognised_chatter_is_kept_as_evidence() -> None:
    svc = identify_with(greeting(b"hello from a custom daemon\r\n"))
    assert svc is not None
    assert svc.service == "unknown"
    assert svc.product is None
    assert "custom daemon" in svc.evidence[0].excerpt


def test_a_silent_port_gives_none_within_the_time_bound() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)

    started = time.monotonic()
    assert identify_with(silent, timeout=0.3) is None
    # Every probe runs at once: the bound is the probes' own timeout, not their sum.
    assert time.monotonic() - started < 2 * 0.3 + 0.3


def test_a_closed_port_gives_none() -> None:
    async def go() -> Service | None:
        async with serve(greeting(b"")) as port:
            pass
        return await identify("127.0.0.1", port, timeout=0.5)

    assert run(go()) is None


def test_port_hints_put_the_likely_probe_first_and_keep_the_fallbacks() -> None:
    assert plan(6379)[0] == ["redis"]
    assert "banner" in plan(6379)[1]
    assert plan(22) == [
        ["banner"],
        ["tls", "http", "redis", "memcached", "dns", "postgresql", "rdp", "smb"],
    ]
    assert plan(443)[0] == ["tls"]
    assert plan(53)[0] == ["dns"]
    # An unhinted port gets every probe in one wave.
    assert plan(40000) == [
        ["banner", "tls", "http", "redis", "memcached", "dns", "postgresql", "rdp", "smb"]
    ]


def dns_reply(query: bytes, text: bytes | None) -> bytes:
    """Answer a framed DNS query: echo the question, add one CH TXT record if ``text``."""
    message = query[2:]
    qid, question = message[:2], message[12:]
    answers = b""
    if text is not None:
        rdata = bytes((len(text),)) + text
        answers = b"\xc0\x0c" + struct.pack("!HHIH", 16, 3, 0, len(rdata)) + rdata
    flags = struct.pack("!H", 0x8400 if text is not None else 0x8405)
    body = qid + flags + struct.pack("!HHHH", 1, 1 if text else 0, 0, 0) + question + answers
    return struct.pack("!H", len(body)) + body


def test_dns_over_tcp_names_the_server_from_version_bind() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(2):
            size = struct.unpack("!H", await reader.readexactly(2))[0]
            query = struct.pack("!H", size) + await reader.readexactly(size)
            wants_version = b"\x07version\x04bind" in query
            writer.write(dns_reply(query, b"NSD 4.6.1" if wants_version else None))
            await writer.drain()

    svc = identify_with(handler)
    assert svc is not None
    assert (svc.service, svc.product, svc.version) == ("domain", "NSD", "4.6.1")
    assert svc.cpe == "cpe:2.3:a:nlnetlabs:nsd:4.6.1:*:*:*:*:*:*:*"
    assert svc.extra["dns_version_bind"] == "NSD 4.6.1"


def test_an_unhinted_port_is_identified_in_one_round_not_a_chain() -> None:
    # memcached used to come fifth in the serial chain, after a banner wait.
    started = time.monotonic()
    svc = identify_with(replies({b"version": b"VERSION 1.6.21\r\n"}), timeout=2.0)
    assert svc is not None
    assert svc.service == "memcached"
    assert time.monotonic() - started < 1.0


def test_the_stagger_follows_the_measured_round_trip_within_bounds() -> None:
    assert Context("127.0.0.1", 22, None, 5.0).stagger == 0.4  # 8 × the 50 ms default
    assert Context("127.0.0.1", 22, None, 5.0, rtt_hint=0.001).stagger == 0.25
    assert Context("127.0.0.1", 22, None, 5.0, rtt_hint=0.5).stagger == 1.0
    assert Context("127.0.0.1", 22, None, 0.3, rtt_hint=0.5).stagger == 0.15


def test_identify_accepts_an_rtt_hint() -> None:
    async def go() -> Service | None:
        async with serve(greeting(b"SSH-2.0-OpenSSH_9.6\r\n")) as port:
            return await identify("127.0.0.1", port, timeout=1.0, rtt_hint=0.002)

    svc = run(go())
    assert svc is not None
    assert svc.product == "OpenSSH"
