"""A tiny authoritative DNS server on loopback for tests (answers A/AAAA from a dict)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import cast

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

Zone = Mapping[tuple[str, str], list[str]]  # (name, "A"/"AAAA") → addresses


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.transport: asyncio.DatagramTransport | None = None
        self.queries: list[str] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.queries.append(f"{name}/{rdtype}")
        known = {key[0] for key in self.zone}
        if name not in known:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif (name, rdtype) in self.zone:
            response.answer.append(
                dns.rrset.from_text_list(question.name, 60, "IN", rdtype, self.zone[name, rdtype])
            )
        assert self.transport is not None
        self.transport.sendto(response.to_wire(), addr)


@asynccontextmanager
async def fake_dns(zone: Zone) -> AsyncIterator[tuple[str, _Protocol]]:
    """Serve ``zone`` on 127.0.0.1; yields ``"127.0.0.1:PORT"`` and the protocol (queries)."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: _Protocol(zone), local_addr=("127.0.0.1", 0)
    )
    port = transport.get_extra_info("sockname")[1]
    try:
        yield f"127.0.0.1:{port}", protocol
    finally:
        transport.close()
