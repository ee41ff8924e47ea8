"""``mamoru scan --vulns`` through the Django command (skipped under ``-p no:django``).

A tiny vulnerability database — the CVE JSON 5 record and the Debian OSV advisories of
regreSSHion (CVE-2024-6387) from the vulns app's fixtures — and an in-process SSH banner
server on 127.0.0.1: the unpatched Debian 12 package is reported, the patched one is not.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from mamoru.asm.engine.output import load_schema

FIXTURES = Path(__file__).resolve().parents[3] / "vulns" / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _needs_django(request: pytest.FixtureRequest) -> None:
    if not request.config.pluginmanager.has_plugin("django"):
        pytest.skip("the --vulns test needs pytest-django (the vulnerability database)")


@pytest.fixture
def vulnerability_database(db: None) -> None:
    from mamoru.vulns.services import feed_import

    feed_import(source="cve5", path=FIXTURES / "cve5")
    feed_import(source="osv", path=FIXTURES / "osv")


@contextlib.contextmanager
def banner_server(banner: bytes) -> Iterator[int]:
    """An SSH server that only announces itself: enough for identification."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                try:
                    connection.sendall(banner)
                    connection.settimeout(1.0)
                    connection.recv(1024)  # the client's own identification, if any
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join(2)
        server.close()


def scan_json(port: int, *extra: str) -> dict[str, object]:
    from django.core.management import call_command

    stdout = io.StringIO()
    call_command("scan", "127.0.0.1", "--allow-private", "--ports", str(port), "--format",
                 "json", "--no-checks", *extra, stdout=stdout)  # fmt: skip
    document: dict[str, object] = json.loads(stdout.getvalue())
    jsonschema.validate(document, load_schema())
    return document


@pytest.mark.usefixtures("vulnerability_database")
@pytest.mark.parametrize(
    ("revision", "reported"), [("Debian-2+deb12u2", True), ("Debian-2+deb12u3", False)]
)
def test_scan_vulns_reports_regresshion_unless_the_debian_package_is_patched(
    revision: str, reported: bool
) -> None:
    with banner_server(f"SSH-2.0-OpenSSH_9.2p1 {revision}\r\n".encode()) as port:
        document = scan_json(port, "--vulns")
    services = document["services"]
    assert isinstance(services, list)
    assert [(s["product"], s["version"]) for s in services] == [("OpenSSH", "9.2p1")]
    findings = document["findings"]
    assert isinstance(findings, list)
    known = [f for f in findings if f["kind"] == "known-vulnerability"]
    cves = {f["details"]["cve_ids"] for f in known}
    assert ("CVE-2024-6387" in cves) is reported
    if reported:
        (finding,) = [f for f in known if f["details"]["cve_ids"] == "CVE-2024-6387"]
        assert finding["port"] == port
        assert finding["details"]["kev"] == "false"
    scanner = document["scanner"]
    assert isinstance(scanner, dict)
    assert scanner["stages"]["vulns"] is True
    assert document["errors"] == []


@pytest.mark.usefixtures("vulnerability_database")
def test_without_the_flag_the_database_is_not_consulted() -> None:
    with banner_server(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n") as port:
        document = scan_json(port)
    assert document["findings"] == []
