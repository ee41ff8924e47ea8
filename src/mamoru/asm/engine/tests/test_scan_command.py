"""The Django shell of ``mamoru scan`` (skipped when pytest runs with ``-p no:django``)."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _needs_django(request: pytest.FixtureRequest) -> None:
    if not request.config.pluginmanager.has_plugin("django"):
        pytest.skip("the management command test needs pytest-django")


@pytest.fixture
def listening_port() -> Iterator[int]:
    # the kernel completes handshakes on a listening socket: enough for a port scan
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


def test_the_command_refuses_private_targets_by_default() -> None:
    from django.core.management import call_command
    from django.test import override_settings

    stderr = io.StringIO()
    with override_settings(SCAN_ALLOW_PRIVATE=False), pytest.raises(SystemExit) as raised:
        call_command("scan", "127.0.0.1", "--ports", "1", stderr=stderr)
    assert raised.value.code == 2
    assert "'127.0.0.1' is out of scope: loopback" in stderr.getvalue()


def test_the_command_honours_scan_allow_private(listening_port: int) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    stdout = io.StringIO()
    with override_settings(SCAN_ALLOW_PRIVATE=True):
        call_command("scan", "127.0.0.1", "--ports", str(listening_port), "--format", "json",
                     "--no-identify", stdout=stdout)  # fmt: skip
    document = json.loads(stdout.getvalue())
    assert [port["port"] for port in document["ports"]] == [listening_port]
    assert "--allow-private" in document["scanner"]["arguments"]


def test_the_command_rejects_bad_ports() -> None:
    from django.core.management import call_command

    stderr = io.StringIO()
    with pytest.raises(SystemExit) as raised:
        call_command("scan", "8.8.8.8", "--ports", "99999", stderr=stderr)
    assert raised.value.code == 2
    assert "bad port 99999" in stderr.getvalue()
