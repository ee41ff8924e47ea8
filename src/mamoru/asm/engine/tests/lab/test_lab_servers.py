"""The lab itself: every server starts, listens where it says, and is what it claims."""

from __future__ import annotations

import socket
import time

import pytest

from mamoru.asm.engine.tests.lab.proc import LabUnavailableError, port_open
from mamoru.asm.engine.tests.lab.servers import SERVERS, Lab

pytestmark = pytest.mark.lab

GREETINGS = {"ssh": b"SSH-2.0-OpenSSH_", "ftp": b"220 ", "smtp": b"220 mail.lab.test ESMTP Exim"}


def _greeting(ip: str, port: int) -> bytes:
    with socket.create_connection((ip, port), timeout=3) as sock:
        sock.settimeout(3)
        return sock.recv(200)


@pytest.mark.parametrize("server", SERVERS)
def test_each_server_starts_on_its_own_loopback_address(lab: Lab, server: str) -> None:
    try:
        lab.start(server)
    except LabUnavailableError as exc:
        pytest.skip(f"lab server {server} unavailable: {exc}")
    mine = [e for e in lab.endpoints.values() if e.ip.startswith("127.")]
    assert mine
    for endpoint in mine:
        assert port_open(endpoint.ip, endpoint.port), endpoint


@pytest.mark.parametrize("name", sorted(GREETINGS))
def test_greetings_come_from_the_real_software(lab: Lab, name: str) -> None:
    try:
        lab.start({"ssh": "ssh", "ftp": "ftp", "smtp": "smtp"}[name])
    except LabUnavailableError as exc:
        pytest.skip(str(exc))
    e = lab.endpoints[name]
    assert _greeting(e.ip, e.port).startswith(GREETINGS[name])


def test_a_stopped_lab_leaves_nothing_listening() -> None:
    started = time.monotonic()
    with Lab(net=249) as lab:
        try:
            lab.start("redis")
            lab.start("nginx")
        except LabUnavailableError as exc:
            pytest.skip(str(exc))
        endpoints = list(lab.endpoints.values())
        root = lab.root
    assert time.monotonic() - started < 10
    assert not root.exists()
    for endpoint in endpoints:
        assert not port_open(endpoint.ip, endpoint.port)
