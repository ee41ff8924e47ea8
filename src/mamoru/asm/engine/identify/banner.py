"""Server-speaks-first protocols: read what the server says on connect and name it.

Each parser receives the greeting bytes (and the connection, for the few protocols where a
normal client answers before the server says more: telnet option negotiation, SMTP EHLO)
and returns an :class:`Ident`, or ``None`` when the greeting is not its protocol.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from mamoru.asm.engine.identify._io import Conn, printable
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.model import Evidence

BannerParser = Callable[[bytes, Conn, int], Awaitable[Ident | None]]

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
_SSH = re.compile(rb"^SSH-(?P<proto>\d+\.\d+)-(?P<soft>[^\r\n]*)", re.MULTILINE)
_REPLY_LINE = re.compile(r"^(\d{3})[ -]?(.*)$")
_FTP_PORTS = frozenset({21, 990, 2121})
_SMTP_PORTS = frozenset({25, 465, 587, 2525})


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\x00", "")


def reply_text(data: bytes) -> str:
    """The text of a (multi-line) ``220`` reply, codes removed, lines joined by newlines."""
    lines = []
    for raw in _text(data).splitlines():
        found = _REPLY_LINE.match(raw.strip())
        lines.append(found.group(2).strip() if found else raw.strip())
    return "\n".join(line for line in lines if line)


async def parse_ssh(data: bytes, conn: Conn, port: int) -> Ident | None:
    found = _SSH.search(data)
    if found is None:
        return None
    ident = Ident(service="ssh", extra={"protocol_version": found["proto"].decode()})
    software = found["soft"].decode("utf-8", "replace").strip()
    ident.match("ssh", software, "banner", printable(found.group(0)))
    return ident


async def parse_vnc(data: bytes, conn: Conn, port: int) -> Ident | None:
    if not data.startswith(b"RFB "):
        return None
    ident = Ident(service="vnc")
    ident.match("vnc", _text(data).strip(), "banner")
    return ident


async def parse_mysql(data: bytes, conn: Conn, port: int) -> Ident | None:
    """MySQL/MariaDB initial handshake (protocol 10) or the error sent to refused hosts."""
    if len(data) < 6 or data[3] != 0:
        return None
    length = int.from_bytes(data[:3], "little")
    if length + 4 > len(data) + 8 or data[4] not in (10, 0xFF):
        return None
    ident = Ident(service="mysql")
    if data[4] == 0xFF:
        # Error packet: code, then message — e.g. "Host '...' is not allowed to connect".
        message = _text(data[7:]).lstrip("#0123456789ABCDEFHY")
        ident.extra["error"] = message[:120]
        ident.match("mysql", message, "banner", printable(data[4:]))
        ident.product = ident.product or "MySQL"
        return ident
    version = data[5:].split(b"\x00", 1)[0].decode("latin-1")
    ident.match("mysql", version, "mysql-greeting", printable(data[5:]))
    return ident


async def parse_pop3(data: bytes, conn: Conn, port: int) -> Ident | None:
    if not data.startswith(b"+OK"):
        return None
    ident = Ident(service="pop3")
    ident.match("pop3", _text(data[3:]).strip(), "banner", printable(data))
    return ident


async def parse_imap(data: bytes, conn: Conn, port: int) -> Ident | None:
    if not (data.startswith((b"* OK", b"* PREAUTH"))):
        return None
    ident = Ident(service="imap")
    text = _text(data).split(" ", 2)[-1].strip()
    ident.match("imap", text, "banner", printable(data))
    return ident


async def _ehlo(conn: Conn, ident: Ident) -> None:
    """A normal client's EHLO; the extensions tell STARTTLS and AUTH apart for the checks."""
    await conn.send(b"EHLO mamoru.invalid\r\n")
    reply = await conn.recv_until(b"\r\n250 ", limit=8192)
    reply += await conn.recv(4096, timeout=0.2) if not reply.endswith(b"\r\n") else b""
    extensions = [line[4:].split(" ")[0].upper() for line in _text(reply).splitlines()[1:]]
    if extensions:
        ident.extra["smtp_extensions"] = " ".join(e for e in extensions if e)
        ident.evidence.append(Evidence("smtp-ehlo", printable(reply, 160)))
    await conn.send(b"QUIT\r\n")


async def parse_220(data: bytes, conn: Conn, port: int) -> Ident | None:
    """``220`` opens both FTP and SMTP: the rules, the words and the port decide which."""
    if not data.startswith(b"220"):
        return None
    text = reply_text(data)
    is_ftp = "FTP" in text.upper() or port in _FTP_PORTS
    is_smtp = re.search(r"SMTP|MAIL|POSTFIX|EXIM|SENDMAIL", text.upper()) or port in _SMTP_PORTS
    ftp = Ident(service="ftp")
    if ftp.match("ftp", text, "banner", printable(data)) and not (is_smtp and not is_ftp):
        return ftp
    smtp = Ident(service="smtp")
    if smtp.match("smtp", text, "banner", printable(data)) or (is_smtp and not is_ftp):
        await _ehlo(conn, smtp)
        return smtp
    return ftp


def _telnet_answers(data: bytes) -> tuple[bytes, bytes]:
    """Split option negotiation from text; refuse every option as a minimal client does."""
    reply, text, i = bytearray(), bytearray(), 0
    refuse = {DO: WONT, WILL: DONT}
    while i < len(data):
        byte = data[i]
        if byte != IAC:
            text.append(byte)
            i += 1
        elif i + 2 < len(data) and data[i + 1] in refuse:
            reply += bytes((IAC, refuse[data[i + 1]], data[i + 2]))
            i += 3
        elif i + 1 < len(data) and data[i + 1] == SB:
            end = data.find(bytes((IAC, SE)), i)
            i = len(data) if end < 0 else end + 2
        else:
            i += 3 if i + 1 < len(data) and data[i + 1] in (DONT, WONT) else 2
    return bytes(reply), bytes(text)


async def parse_telnet(data: bytes, conn: Conn, port: int) -> Ident | None:
    if not data.startswith(bytes((IAC,))) and port != 23:
        return None
    text = bytearray()
    for _ in range(4):  # a few negotiation rounds until the login prompt appears
        reply, chunk = _telnet_answers(data)
        text += chunk
        if reply:
            await conn.send(reply)
        if text.strip() and not reply:
            break
        data = await conn.recv(4096, timeout=min(conn.timeout, 1.5))
        if not data:
            break
    ident = Ident(service="telnet")
    shown = _text(bytes(text)).strip()
    ident.match("telnet", shown, "telnet-negotiation", printable(bytes(text)))
    return ident


# Order matters only where prefixes could collide; telnet is last because it is the loosest.
PARSERS: tuple[BannerParser, ...] = (
    parse_ssh,
    parse_vnc,
    parse_pop3,
    parse_imap,
    parse_220,
    parse_mysql,
    parse_telnet,
)


async def identify_banner(data: bytes, conn: Conn, port: int) -> Ident:
    """Name a greeting; unknown greetings still yield a service with the excerpt as evidence."""
    for parser in PARSERS:
        ident = await parser(data, conn, port)
        if ident is not None:
            return ident
    ident = Ident(service="unknown")
    ident.evidence.append(ident_evidence("banner", data))
    return ident


def ident_evidence(probe: str, data: bytes) -> Evidence:
    return Evidence(probe=probe, excerpt=printable(data))
