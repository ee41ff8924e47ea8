"""DNS over TCP: what any resolver sends, and ``version.bind`` where the server answers it.

Two queries go out on one connection (RFC 7766 allows pipelining): ``version.bind`` in
the CHAOS class, which BIND, NSD, Unbound, Knot, PowerDNS and dnsmasq answer with their
name and version unless told to hide it, and an ordinary ``. SOA`` query without
recursion. Any well-formed reply to either, with our query id, proves the port speaks DNS;
the ``version.bind`` text goes through the ``dns`` rules.
"""

from __future__ import annotations

import os
import struct

from mamoru.asm.engine.identify._io import Conn, printable
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.model import Evidence

TXT, SOA, CLASS_IN, CLASS_CH = 16, 6, 1, 3
_RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def encode_name(name: str) -> bytes:
    labels = [label.encode("ascii") for label in name.strip(".").split(".") if label]
    return b"".join(bytes((len(label),)) + label for label in labels) + b"\x00"


def query(qid: int, name: str, qtype: int, qclass: int) -> bytes:
    """One DNS query (no recursion wanted), framed with its two-byte TCP length."""
    message = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0)
    message += encode_name(name) + struct.pack("!HH", qtype, qclass)
    return struct.pack("!H", len(message)) + message


def _skip_name(data: bytes, offset: int) -> int:
    """The offset after a (possibly compressed) name; raises IndexError on a truncated one."""
    for _ in range(128):
        length = data[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:
            return offset + 2
        offset += 1 + length
    raise ValueError("name too long")


def _txt_strings(rdata: bytes) -> list[str]:
    out, i = [], 0
    while i < len(rdata):
        size = rdata[i]
        out.append(rdata[i + 1 : i + 1 + size].decode("utf-8", "replace"))
        i += 1 + size
    return out


def parse_response(message: bytes, qid: int) -> tuple[int, list[str]] | None:
    """(rcode, TXT strings of the answer) for a reply to ``qid``; ``None`` if it is not one."""
    if len(message) < 12:
        return None
    rid, flags, qdcount, ancount = struct.unpack("!HHHH", message[:8])
    if rid != qid or not flags & 0x8000 or (flags >> 11) & 0xF != 0 or qdcount > 1:
        return None
    offset = 12
    for _ in range(qdcount):
        offset = _skip_name(message, offset) + 4
    texts: list[str] = []
    for _ in range(min(ancount, 16)):
        offset = _skip_name(message, offset)
        rtype, _cls, _ttl, size = struct.unpack("!HHIH", message[offset : offset + 10])
        offset += 10
        if rtype == TXT:
            texts += _txt_strings(message[offset : offset + size])
        offset += size
    return flags & 0xF, texts


async def _read_message(conn: Conn) -> bytes | None:
    head = await conn.recv_exactly(2)
    if head is None:
        return None
    size = struct.unpack("!H", head)[0]
    return await conn.recv_exactly(size) if size >= 12 else None


async def probe(conn: Conn) -> Ident | None:
    """Identify a DNS server on ``conn``; ``None`` if the replies are not DNS."""
    version_id, soa_id = struct.unpack("!HH", os.urandom(4))
    soa_id = soa_id if soa_id != version_id else version_id ^ 1
    await conn.send(
        query(version_id, "version.bind", TXT, CLASS_CH) + query(soa_id, ".", SOA, CLASS_IN)
    )
    ident: Ident | None = None
    for _ in range(2):
        message = await _read_message(conn)
        if message is None:
            break
        rid = struct.unpack("!H", message[:2])[0]
        parsed = parse_response(message, rid) if rid in (version_id, soa_id) else None
        if parsed is None:
            return ident
        ident = ident or Ident(service="domain")
        rcode, texts = parsed
        if rid == soa_id:
            ident.extra["dns_soa_rcode"] = _RCODES.get(rcode, str(rcode))
            ident.evidence.append(Evidence("dns-soa", f"rcode {ident.extra['dns_soa_rcode']}"))
            continue
        ident.extra["dns_version_bind_rcode"] = _RCODES.get(rcode, str(rcode))
        if texts:
            text = " ".join(texts)[:200]
            ident.extra["dns_version_bind"] = text
            ident.match("dns", text, "dns-version-bind", printable(text.encode()))
            break  # the version is what we wanted; no need to wait for the second reply
    return ident
