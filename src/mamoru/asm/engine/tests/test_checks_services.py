"""Checks on FTP, SMTP, databases, caches and remote access: lab servers and look-alikes."""

from __future__ import annotations

import asyncio
import struct

import pytest

from mamoru.asm.engine.checks import check_service
from mamoru.asm.engine.model import Evidence, Finding, Service, Severity
from mamoru.asm.engine.tests.inprocess import Handler, fixed_reply, serve
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab


def _check(e: Endpoint) -> dict[str, Finding]:
    found = asyncio.run(check_service(Service(e.ip, e.port, e.service), timeout=3))
    return {f.kind: f for f in found}


def _check_fake(handler: Handler, service: str) -> dict[str, Finding]:
    async def run() -> list[Finding]:
        async with serve(handler) as port:
            return await check_service(Service("127.0.0.1", port, service), timeout=3)

    return {f.kind: f for f in asyncio.run(run())}


@pytest.mark.lab
def test_vsftpd_lets_anonymous_in_without_tls(lab_ftp: Endpoint) -> None:
    found = _check(lab_ftp)
    assert set(found) == {"ftp-anonymous-login", "cleartext-remote-login"}
    assert found["cleartext-remote-login"].severity == Severity.MEDIUM
    assert found["cleartext-remote-login"].details["protocol"] == "FTP"


@pytest.mark.lab
def test_redis_without_a_password_is_critical(lab_redis: Endpoint) -> None:
    finding = _check(lab_redis)["exposed-cache-no-auth"]
    assert finding.severity == Severity.CRITICAL
    assert finding.details["version"].startswith("7.")


@pytest.mark.lab
def test_memcached_answers_stats(lab_memcached: Endpoint) -> None:
    finding = _check(lab_memcached)["exposed-cache-no-auth"]
    assert finding.details["product"] == "memcached"
    assert finding.details["version"].startswith("1.6")


@pytest.mark.lab
def test_postgresql_is_exposed_but_not_open(lab_postgres: Endpoint) -> None:
    found = _check(lab_postgres)
    assert set(found) == {"exposed-database"}
    assert found["exposed-database"].details["product"] == "PostgreSQL"


@pytest.mark.lab
def test_smtp_without_starttls(lab_smtp: Lab) -> None:
    assert set(_check(lab_smtp.endpoints["smtp-plain"])) == {"smtp-no-starttls"}
    assert _check(lab_smtp.endpoints["smtp"]) == {}


@pytest.mark.lab
def test_openssh_gives_no_finding(lab_ssh: Endpoint) -> None:
    assert _check(lab_ssh) == {}


def test_redis_asking_for_a_password_is_only_exposed() -> None:
    found = _check_fake(fixed_reply(b"-NOAUTH Authentication required.\r\n"), "redis")
    assert set(found) == {"exposed-database"}
    assert found["exposed-database"].details["authentication"] == "required"


def test_mysql_greeting_is_an_exposed_database() -> None:
    payload = b"\x0a5.5.5-10.11.6-MariaDB-0+deb12u1\x00" + b"\x00" * 20
    greeting = struct.pack("<I", len(payload))[:3] + b"\x00" + payload
    found = _check_fake(fixed_reply(greeting, read_first=False), "mysql")
    assert found["exposed-database"].details["product"] == "MariaDB"


def test_mysql_refusing_this_host_is_not_reported() -> None:
    payload = b"\xff\x6a\x04Host '203.0.113.9' is not allowed to connect"
    error = struct.pack("<I", len(payload))[:3] + b"\x00" + payload
    assert _check_fake(fixed_reply(error, read_first=False), "mysql") == {}


def _rdp(selected: int) -> Handler:
    confirm = (
        bytes.fromhex("030000130ed00000123400") + b"\x02\x00\x08\x00" + struct.pack("<I", selected)
    )
    return fixed_reply(confirm)


def test_rdp_without_nla_is_critical() -> None:
    finding = _check_fake(_rdp(0), "rdp")["exposed-remote-desktop"]
    assert (finding.details["nla"], finding.severity) == ("no", Severity.CRITICAL)


def test_rdp_with_nla_is_high() -> None:
    finding = _check_fake(_rdp(2), "rdp")["exposed-remote-desktop"]
    assert (finding.details["nla"], finding.severity) == ("yes", Severity.HIGH)


def _vnc(types: bytes) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"RFB 003.008\n")
        await reader.readexactly(12)
        writer.write(bytes([len(types)]) + types)
        await writer.drain()
        await reader.read(1)

    return handler


def test_vnc_without_a_password_is_critical() -> None:
    finding = _check_fake(_vnc(b"\x01"), "vnc")["exposed-remote-desktop"]
    assert finding.details["authentication"] == "none"
    assert finding.severity == Severity.CRITICAL


def test_vnc_with_a_password_is_high() -> None:
    finding = _check_fake(_vnc(b"\x02"), "vnc")["exposed-remote-desktop"]
    assert (finding.details["authentication"], finding.severity) == ("password", Severity.HIGH)


@pytest.mark.parametrize(
    ("service", "kind"),
    [
        (Service("127.0.0.1", 23, "telnet"), "cleartext-remote-login"),
        (Service("127.0.0.1", 445, "smb"), "exposed-smb"),
        (Service("127.0.0.1", 27017, "mongodb"), "exposed-database"),
    ],
)
def test_what_a_service_is_can_be_a_finding(service: Service, kind: str) -> None:
    found = asyncio.run(check_service(service, timeout=1))
    assert [f.kind for f in found] == [kind]


def test_a_vpn_portal_is_reported_with_product_and_version() -> None:
    async def run() -> list[Finding]:
        async with serve(fixed_reply(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) as port:
            portal = Service("127.0.0.1", port, "http", product="FortiGate SSL-VPN",
                             version="7.2", extra={"vpn": "true"},
                             evidence=(Evidence("http-get", "/remote/login"),))  # fmt: skip
            return await check_service(portal, timeout=2)

    found = asyncio.run(run())
    assert [f.kind for f in found] == ["vpn-appliance"]
    assert found[0].severity == Severity.INFO
    assert (found[0].details["product"], found[0].details["version"]) == (
        "FortiGate SSL-VPN",
        "7.2",
    )


def test_a_closed_port_yields_no_finding_and_no_error() -> None:
    async def run() -> list[Finding]:
        async with serve(fixed_reply(b"")) as port:
            pass  # the server is gone: the port is closed now
        return await check_service(Service("127.0.0.1", port, "redis"), timeout=1)

    assert asyncio.run(run()) == []
