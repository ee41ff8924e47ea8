"""Client-speaks-first probes: what a normal client of each protocol sends first.

None of these authenticates or changes anything: Redis gets ``PING`` and ``INFO server``
(``INFO`` is refused with ``NOAUTH`` when a password is set, which is itself the answer),
memcached ``version``, PostgreSQL an SSLRequest and a startup message whose reply (an
authentication request or an error) is read and the connection terminated, RDP the X.224
connection request every client opens with, SMB2 a NEGOTIATE.
"""

from __future__ import annotations

import os
import struct

from mamoru.asm.engine.identify._io import Conn, connect, printable
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.model import Evidence


async def redis(conn: Conn) -> Ident | None:
    await conn.send(b"PING\r\n")
    pong = await conn.recv(512)
    if pong.startswith(b"+PONG"):
        await conn.send(b"INFO server\r\n")
        info = await conn.recv_until(b"\r\n\r\n", limit=16384)
        ident = Ident(service="redis", extra={"auth": "none"})
        text = info.decode("utf-8", "replace")
        if not ident.match("redis", text, "redis-info", printable(info, 120)):
            return None
        for key in ("redis_mode", "os"):
            value = next(
                (ln.split(":", 1)[1] for ln in text.splitlines() if ln.startswith(key + ":")), ""
            )
            if value.strip():
                ident.extra[f"redis_{key}" if key == "os" else key] = value.strip()
        return ident
    if pong.startswith((b"-NOAUTH", b"-DENIED", b"-ERR operation not permitted")):
        ident = Ident(service="redis", extra={"auth": "required"})
        ident.match("redis", pong.decode("latin-1"), "redis-ping")
        if pong.startswith(b"-DENIED"):
            ident.extra["auth"] = "protected-mode"
        return ident
    return None


async def memcached(conn: Conn) -> Ident | None:
    await conn.send(b"version\r\n")
    reply = await conn.recv(256)
    if not reply.startswith(b"VERSION "):
        return None
    ident = Ident(service="memcached", extra={"auth": "none"})
    ident.match("memcached", reply.decode("latin-1").strip(), "memcached-version")
    return ident


_PG_AUTH = {0: "none", 2: "kerberos", 3: "password", 5: "md5", 7: "gss", 9: "sspi", 10: "sasl"}


def pg_startup() -> bytes:
    """A protocol 3.0 StartupMessage for an obviously-scanner user; no password is ever sent."""
    params = (
        b"user\x00mamoru-asm\x00database\x00mamoru-asm\x00application_name\x00mamoru-asm\x00\x00"
    )
    return struct.pack("!II", 8 + len(params), 196608) + params


def _pg_error_fields(body: bytes) -> dict[str, str]:
    fields = {}
    for part in body.split(b"\x00"):
        if part:
            fields[chr(part[0])] = part[1:].decode("utf-8", "replace")
    return fields


def parse_pg_reply(reply: bytes, ident: Ident) -> bool:
    """Read an authentication request (``R``) or an error (``E``) into ``ident``."""
    if len(reply) < 9 or reply[:1] not in (b"R", b"E"):
        return False
    length = struct.unpack("!I", reply[1:5])[0]
    if reply[:1] == b"R":
        code = struct.unpack("!I", reply[5:9])[0]
        ident.extra["auth"] = _PG_AUTH.get(code, str(code))
        if code == 10:  # SASL: the mechanism names follow
            ident.extra["auth_mechanisms"] = ",".join(
                m.decode() for m in reply[9 : 1 + length].split(b"\x00") if m
            )
        return True
    fields = _pg_error_fields(reply[5 : 1 + length])
    if "S" not in fields and "M" not in fields:
        return False
    ident.extra["error"] = fields.get("M", "")[:160]
    if fields.get("C"):
        ident.extra["sqlstate"] = fields["C"]
    return True


async def postgresql(ip: str, port: int, timeout: float) -> Ident | None:
    ident = Ident(
        service="postgresql", product="PostgreSQL", vendor="PostgreSQL Global Development Group"
    )
    ident.cpe = "cpe:2.3:a:postgresql:postgresql:*:*:*:*:*:*:*:*"
    async with connect(ip, port, timeout) as conn:
        await conn.send(struct.pack("!II", 8, 80877103))
        # Exactly one byte: an SSH or FTP greeting that happens to start with S or N is longer.
        answer = await conn.recv(64)
        if answer not in (b"S", b"N"):
            return None
        ident.extra["ssl"] = "supported" if answer == b"S" else "unsupported"
        ident.evidence.append(Evidence("pg-sslrequest", answer.decode(), "postgresql.sslrequest"))
        if answer == b"N":
            return await _pg_startup(conn, ident)
    # The server wants TLS first; a plain startup on a fresh connection still gets an answer.
    async with connect(ip, port, timeout) as conn:
        return await _pg_startup(conn, ident)


async def _pg_startup(conn: Conn, ident: Ident) -> Ident | None:
    await conn.send(pg_startup())
    reply = await conn.recv(2048)
    if not parse_pg_reply(reply, ident):
        return None
    ident.evidence.append(Evidence("pg-startup", printable(reply, 160), "postgresql.startup"))
    await conn.send(b"X\x00\x00\x00\x04")  # Terminate, before any authentication
    return ident


_RDP_PROTOCOLS = {0: "RDP", 1: "SSL", 2: "HYBRID", 4: "RDSTLS", 8: "HYBRID_EX"}
_RDP_FAILURES = {
    1: "SSL_REQUIRED_BY_SERVER",
    2: "SSL_NOT_ALLOWED_BY_SERVER",
    3: "SSL_CERT_NOT_ON_SERVER",
    4: "INCONSISTENT_FLAGS",
    5: "HYBRID_REQUIRED_BY_SERVER",
    6: "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER",
}


def rdp_request(protocols: int) -> bytes:
    """TPKT + X.224 Connection Request + RDP Negotiation Request (MS-RDPBCGR 2.2.1.1)."""
    neg = struct.pack("<BBHI", 1, 0, 8, protocols)
    x224 = bytes((6 + len(neg), 0xE0, 0, 0, 0, 0, 0)) + neg
    return struct.pack("!BBH", 3, 0, 4 + len(x224)) + x224


def parse_rdp_confirm(reply: bytes) -> tuple[str, str] | None:
    """(``selected``/``failure``, name) from an X.224 Connection Confirm, else ``None``."""
    if len(reply) < 11 or reply[0] != 3 or reply[5] != 0xD0:
        return None
    if len(reply) < 19:
        return "selected", "RDP"  # no negotiation response: standard RDP security only
    kind, value = reply[11], struct.unpack("<I", reply[15:19])[0]
    if kind == 2:
        return "selected", _RDP_PROTOCOLS.get(value, str(value))
    return "failure", _RDP_FAILURES.get(value, str(value))


async def _rdp_ask(ip: str, port: int, timeout: float, protocols: int) -> tuple[str, str] | None:
    async with connect(ip, port, timeout) as conn:
        await conn.send(rdp_request(protocols))
        return parse_rdp_confirm(await conn.recv(512))


async def rdp(ip: str, port: int, timeout: float) -> Ident | None:
    """Ask for TLS/CredSSP first, then for legacy RDP security alone, to tell what is allowed."""
    first = await _rdp_ask(ip, port, timeout, 0x0B)
    if first is None:
        return None
    kind, name = first
    ident = Ident(service="rdp")
    ident.extra["rdp_selected_protocol" if kind == "selected" else "rdp_failure"] = name
    ident.evidence.append(Evidence("rdp-x224", f"{kind} {name}", "rdp.x224-confirm"))
    legacy = await _rdp_ask(ip, port, timeout, 0x00)
    if legacy is not None:
        ident.extra["rdp_standard_security"] = str(legacy == ("selected", "RDP")).lower()
    return ident


_SMB_DIALECTS = (0x0202, 0x0210, 0x0300, 0x0302, 0x0311)
_SMB_DIALECT_NAMES = {
    0x0202: "2.0.2",
    0x0210: "2.1",
    0x0300: "3.0",
    0x0302: "3.0.2",
    0x0311: "3.1.1",
}


def smb2_negotiate() -> bytes:
    """NetBIOS-framed SMB2 NEGOTIATE offering 2.0.2–3.1.1 (MS-SMB2 2.2.3)."""
    header = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, b"")
    dialects = struct.pack(f"<{len(_SMB_DIALECTS)}H", *_SMB_DIALECTS)
    fixed_len = 36
    ctx_offset = 64 + fixed_len + len(dialects)
    pad = (8 - ctx_offset % 8) % 8
    ctx_offset += pad
    preauth = struct.pack("<HHH", 1, 32, 1) + struct.pack("<H", 0x0001) + os.urandom(32)
    preauth_ctx = struct.pack("<HHI", 1, len(preauth), 0) + preauth
    ciphers = struct.pack("<HHH", 2, 0x0002, 0x0001)
    cipher_ctx = struct.pack("<HHI", 2, len(ciphers), 0) + ciphers
    gap = b"\x00" * ((8 - len(preauth_ctx) % 8) % 8)
    body = struct.pack(
        "<HHHHI16sIHH", fixed_len, len(_SMB_DIALECTS), 1, 0, 0, os.urandom(16), ctx_offset, 2, 0
    )
    message = header + body + dialects + b"\x00" * pad + preauth_ctx + gap + cipher_ctx
    return struct.pack("!I", len(message)) + message


def parse_smb2_negotiate(reply: bytes, ident: Ident) -> bool:
    data = reply[4:]
    if data.startswith(b"\xffSMB"):
        ident.extra["smb_dialect"] = "NT LM 0.12"
        ident.extra["smb1"] = "true"
        return True
    if not data.startswith(b"\xfeSMB") or len(data) < 64 + 8:
        return False
    security_mode, dialect = struct.unpack("<HH", data[66:70])
    ident.extra["smb_dialect"] = _SMB_DIALECT_NAMES.get(dialect, f"0x{dialect:04x}")
    ident.extra["smb_signing"] = "required" if security_mode & 0x02 else "enabled"
    return True


async def smb(ip: str, port: int, timeout: float) -> Ident | None:
    ident = Ident(service="smb")
    async with connect(ip, port, timeout) as conn:
        await conn.send(smb2_negotiate())
        reply = await conn.recv(4096)
    if not parse_smb2_negotiate(reply, ident):
        return None
    ident.evidence.append(Evidence("smb2-negotiate", printable(reply[4:72], 80), "smb.negotiate"))
    return ident
