"""Checks on non-HTTP services: FTP, SMTP, databases, caches, remote desktops, file sharing.

Every probe is one the service answers to anyone before logging in (a greeting, INFO,
``stats``, an SSLRequest, a protocol negotiation). The only login is FTP's *anonymous*
one, which is a public convention, with a dummy address as password; nothing is listed.
"""

from __future__ import annotations

import asyncio
import struct

from mamoru.asm.engine.checks._net import connect, excerpt, read_line
from mamoru.asm.engine.checks.catalogue import new_finding
from mamoru.asm.engine.model import Evidence, Finding, Service, Severity

ANONYMOUS_PASSWORD = "mamoru-scan@example.invalid"  # noqa: S105 - the anonymous-FTP convention
NetErrors = (OSError, TimeoutError, EOFError, asyncio.IncompleteReadError, ValueError)


def _finding(service: Service, kind: str, probe: str, text: str | bytes, **kw: object) -> Finding:
    details = {k: str(v) for k, v in kw.items() if k != "severity" and v is not None}
    severity = kw.get("severity")
    return new_finding(
        kind, ip=service.ip, port=service.port, hostname=service.hostname,
        evidence=(Evidence(probe, excerpt(text)),), details=details,
        severity=severity if isinstance(severity, Severity) else None,
    )  # fmt: skip


async def _reply(reader: asyncio.StreamReader, timeout: float) -> str:
    """One FTP/SMTP reply, following ``NNN-`` continuation lines to the final ``NNN ``."""
    lines: list[str] = []
    for _ in range(100):
        line = (await read_line(reader, timeout)).decode("utf-8", errors="replace")
        if not line:
            break
        lines.append(line.rstrip("\r\n"))
        if len(line) >= 4 and line[:3].isdigit() and line[3] != "-":
            break
    return "\n".join(lines)


async def _command(
    writer: asyncio.StreamWriter, reader: asyncio.StreamReader, line: str, timeout: float
) -> str:
    writer.write(line.encode() + b"\r\n")
    await writer.drain()
    return await _reply(reader, timeout)


async def ftp_checks(service: Service, *, timeout: float) -> list[Finding]:
    """Anonymous login (then QUIT at once) and whether the server offers TLS at all."""
    try:
        async with connect(service.ip, service.port, timeout=timeout) as (reader, writer):
            banner = await _reply(reader, timeout)
            if not banner.startswith("220"):
                return []
            features = await _command(writer, reader, "FEAT", timeout)
            user = await _command(writer, reader, "USER anonymous", timeout)
            login = user
            if user.startswith("331"):
                login = await _command(writer, reader, f"PASS {ANONYMOUS_PASSWORD}", timeout)
            writer.write(b"QUIT\r\n")
    except NetErrors:
        return []
    found = []
    if login.startswith("230"):
        found.append(_finding(service, "ftp-anonymous-login", "ftp-anonymous",
                              f"USER anonymous → {login.splitlines()[-1]}"))  # fmt: skip
    if "AUTH TLS" not in features.upper() and "AUTH SSL" not in features.upper():
        found.append(_finding(service, "cleartext-remote-login", "ftp-feat",
                              f"{banner.splitlines()[0]} / FEAT without AUTH TLS",
                              protocol="FTP", severity=Severity.MEDIUM))  # fmt: skip
    return found


async def smtp_checks(service: Service, *, timeout: float) -> list[Finding]:
    """Whether the server offers STARTTLS in its EHLO reply (no mail is ever sent)."""
    try:
        async with connect(service.ip, service.port, timeout=timeout) as (reader, writer):
            banner = await _reply(reader, timeout)
            if not banner.startswith("220"):
                return []
            ehlo = await _command(writer, reader, "EHLO mamoru-scan.invalid", timeout)
            writer.write(b"QUIT\r\n")
    except NetErrors:
        return []
    if not ehlo.startswith("250") or "STARTTLS" in ehlo.upper():
        return []
    return [_finding(service, "smtp-no-starttls", "smtp-ehlo", ehlo.replace("\n", " | "))]


async def _exchange(service: Service, request: bytes, timeout: float, size: int = 4096) -> bytes:
    async with connect(service.ip, service.port, timeout=timeout) as (reader, writer):
        if request:
            writer.write(request)
            await writer.drain()
        return await asyncio.wait_for(reader.read(size), timeout)


async def redis_checks(service: Service, *, timeout: float) -> list[Finding]:
    """``INFO server`` answered without AUTH means anyone can run any Redis command."""
    try:
        reply = await _exchange(service, b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n", timeout)
    except NetErrors:
        return []
    text = reply.decode("utf-8", errors="replace")
    if reply.startswith(b"$") and "redis_version:" in text:
        version = text.split("redis_version:", 1)[1].split()[0]
        return [_finding(service, "exposed-cache-no-auth", "redis-info", f"INFO → redis_version:{version}",
                         product="Redis", version=version, severity=Severity.CRITICAL)]  # fmt: skip
    if reply.startswith(b"-NOAUTH") or (reply.startswith(b"-ERR") and "auth" in text.lower()):
        return [_finding(service, "exposed-database", "redis-info", text.splitlines()[0],
                         product="Redis", authentication="required", severity=Severity.MEDIUM)]  # fmt: skip
    return []  # e.g. -DENIED: protected mode refuses outside clients


async def memcached_checks(service: Service, *, timeout: float) -> list[Finding]:
    """memcached has no authentication on its text protocol: ``stats`` answers anyone."""
    try:
        reply = await _exchange(service, b"stats\r\n", timeout)
    except NetErrors:
        return []
    text = reply.decode("utf-8", errors="replace")
    if not text.startswith("STAT "):
        return []
    version = next(
        (ln.split()[2] for ln in text.splitlines() if ln.startswith("STAT version ")), None
    )
    return [_finding(service, "exposed-cache-no-auth", "memcached-stats", f"stats → STAT version {version}",
                     product="memcached", version=version)]  # fmt: skip


async def postgresql_checks(service: Service, *, timeout: float) -> list[Finding]:
    """An SSLRequest (8 bytes, before any login) confirms a PostgreSQL server listens."""
    try:
        reply = await _exchange(service, struct.pack("!II", 8, 80877103), timeout, size=1)
    except NetErrors:
        return []
    if reply not in (b"S", b"N", b"E"):
        return []
    tls = {b"S": "offered", b"N": "not offered", b"E": "unknown"}[reply]
    return [_finding(service, "exposed-database", "postgresql-sslrequest", f"SSLRequest → {reply!r}",
                     product="PostgreSQL", tls=tls)]  # fmt: skip


async def mysql_checks(service: Service, *, timeout: float) -> list[Finding]:
    """MySQL/MariaDB greet every client with their version; an error packet means refused."""
    try:
        greeting = await _exchange(service, b"", timeout, size=512)
    except NetErrors:
        return []
    if len(greeting) < 6 or greeting[4] != 10:  # protocol 10 greeting; 0xff is an error
        return []
    version = greeting[5:].split(b"\0", 1)[0].decode("ascii", errors="replace")
    product = "MariaDB" if "mariadb" in version.lower() else "MySQL"
    return [_finding(service, "exposed-database", "mysql-greeting", f"greeting → {version}",
                     product=product, version=version)]  # fmt: skip


# RDP: TPKT + X.224 Connection Request + RDP_NEG_REQ asking for TLS and CredSSP (NLA).
_RDP_REQUEST = bytes.fromhex("03000013" + "0ee00000000000" + "0100080003000000")
_RDP_NLA = {2, 8}  # PROTOCOL_HYBRID, PROTOCOL_HYBRID_EX


async def rdp_checks(service: Service, *, timeout: float) -> list[Finding]:
    """RDP's negotiation says whether Network Level Authentication protects the login."""
    try:
        reply = await _exchange(service, _RDP_REQUEST, timeout, size=64)
    except NetErrors:
        reply = b""
    nla: str | None = None
    if len(reply) >= 19 and reply[0] == 3 and reply[5] == 0xD0:
        kind, selected = reply[11], struct.unpack("<I", reply[15:19])[0]
        nla = (
            "yes" if (kind == 2 and selected in _RDP_NLA) or (kind == 3 and selected == 5) else "no"
        )
    severity = Severity.CRITICAL if nla == "no" else None
    text = f"X.224 connection confirm, NLA={nla}" if nla else "identified as RDP"
    return [_finding(service, "exposed-remote-desktop", "rdp-negotiation", text,
                     protocol="RDP", nla=nla, severity=severity)]  # fmt: skip


async def vnc_checks(service: Service, *, timeout: float) -> list[Finding]:
    """VNC lists its security types before any login; type 1 ("None") means no password."""
    auth: str | None = None
    try:
        async with connect(service.ip, service.port, timeout=timeout) as (reader, writer):
            banner = await asyncio.wait_for(reader.readexactly(12), timeout)
            if banner.startswith(b"RFB 003.00") and banner >= b"RFB 003.007":
                writer.write(b"RFB 003.008\n")
                count = (await asyncio.wait_for(reader.readexactly(1), timeout))[0]
                types = await asyncio.wait_for(reader.readexactly(count), timeout)
                auth = "none" if 1 in types else "password"
    except NetErrors:
        banner = b""
    severity = Severity.CRITICAL if auth == "none" else None
    return [_finding(service, "exposed-remote-desktop", "vnc-handshake",
                     f"{excerpt(banner) or 'identified as VNC'}; auth={auth}",
                     protocol="VNC", authentication=auth, severity=severity)]  # fmt: skip


def identity_findings(service: Service) -> list[Finding]:
    """Findings that follow from what the service is (identification's evidence)."""
    text = "; ".join(e.excerpt for e in service.evidence)[:200] or service.service
    name = service.service
    product = service.product
    if name == "telnet":
        return [_finding(service, "cleartext-remote-login", "identify", text, protocol="Telnet")]
    if name in {"smb", "microsoft-ds", "netbios-ssn", "cifs"}:
        return [_finding(service, "exposed-smb", "identify", text, product=product)]
    if name in {"mongodb", "mongod"}:
        return [
            _finding(service, "exposed-database", "identify", text, product=product or "MongoDB")
        ]
    if service.extra.get("vpn") == "true":
        return [_finding(service, "vpn-appliance", "identify", text, product=product or "不明",
                         version=service.version or "不明")]  # fmt: skip
    return []
