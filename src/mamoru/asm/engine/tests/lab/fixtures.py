"""pytest fixtures for the lab: one session-scoped Lab, each server started on first use.

A server whose binary is missing (or that needs root) makes the tests that use it skip
with the reason; everything started is killed when the session ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mamoru.asm.engine.tests.lab.proc import LabUnavailableError
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    """The session's lab (empty until a server fixture asks for a server)."""
    with Lab() as running:
        yield running


def _server(lab: Lab, server: str) -> Lab:
    try:
        lab.start(server)
    except LabUnavailableError as exc:
        pytest.skip(f"lab server {server} unavailable: {exc}")
    return lab


@pytest.fixture(scope="session")
def lab_nginx(lab: Lab) -> Lab:
    """nginx: sites ``http``, ``tls-good``, ``tls-legacy``, ``tls-weak``."""
    return _server(lab, "nginx")


@pytest.fixture(scope="session")
def lab_apache(lab: Lab) -> Endpoint:
    return _server(lab, "apache").endpoints["apache"]


@pytest.fixture(scope="session")
def lab_ssh(lab: Lab) -> Endpoint:
    return _server(lab, "ssh").endpoints["ssh"]


@pytest.fixture(scope="session")
def lab_ftp(lab: Lab) -> Endpoint:
    return _server(lab, "ftp").endpoints["ftp"]


@pytest.fixture(scope="session")
def lab_redis(lab: Lab) -> Endpoint:
    return _server(lab, "redis").endpoints["redis"]


@pytest.fixture(scope="session")
def lab_memcached(lab: Lab) -> Endpoint:
    return _server(lab, "memcached").endpoints["memcached"]


@pytest.fixture(scope="session")
def lab_postgres(lab: Lab) -> Endpoint:
    return _server(lab, "postgres").endpoints["postgres"]


@pytest.fixture(scope="session")
def lab_smtp(lab: Lab) -> Lab:
    """Exim: endpoint ``smtp`` offers STARTTLS, ``smtp-plain`` does not."""
    return _server(lab, "smtp")


@pytest.fixture(scope="session")
def lab_squid(lab: Lab) -> Endpoint:
    """Squid as an open forward proxy (``http_access allow all``), on 3128 when free."""
    return _server(lab, "squid").endpoints["proxy"]


@pytest.fixture(scope="session")
def lab_resolver(lab: Lab) -> str:
    """``HOST:PORT`` of the lab's NSD serving ``lab.test``."""
    return _server(lab, "dns").resolver()
