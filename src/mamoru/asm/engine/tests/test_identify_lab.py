"""identify() against real Debian daemons from the checks' lab (skips when unavailable)."""

from __future__ import annotations

import asyncio

import pytest

from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.model import Service
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab

pytestmark = pytest.mark.lab


def ident(endpoint: Endpoint) -> Service:
    svc = asyncio.run(identify(endpoint.ip, endpoint.port, hostname=endpoint.hostname, timeout=3))
    assert svc is not None, endpoint
    return svc


def test_real_openssh_with_debian_package(lab_ssh: Endpoint) -> None:
    svc = ident(lab_ssh)
    assert (svc.service, svc.product) == ("ssh", "OpenSSH")
    assert svc.version
    assert svc.cpe
    assert svc.cpe.startswith("cpe:2.3:a:openbsd:openssh:")
    assert svc.extra.get("os") == "Debian"
    assert svc.extra.get("distro_package")


def test_real_nginx(lab_nginx: Lab) -> None:
    svc = ident(lab_nginx.endpoints["http"])
    assert (svc.service, svc.product) == ("http", "nginx")


def test_real_apache(lab_apache: Endpoint) -> None:
    svc = ident(lab_apache)
    assert svc.product == "Apache httpd"


def test_real_vsftpd_is_named_only_when_its_banner_says_so(lab_ftp: Endpoint) -> None:
    # With a custom ftpd_banner the product is hidden; we never guess one.
    svc = ident(lab_ftp)
    assert svc.service == "ftp"
    if "(vsFTPd" in svc.evidence[0].excerpt:
        assert svc.product == "vsFTPd"
        assert svc.version
    else:
        assert svc.product is None


def test_real_redis_without_password(lab_redis: Endpoint) -> None:
    svc = ident(lab_redis)
    assert (svc.service, svc.product, svc.extra["auth"]) == ("redis", "Redis", "none")
    assert svc.version


def test_real_memcached(lab_memcached: Endpoint) -> None:
    svc = ident(lab_memcached)
    assert (svc.service, svc.product) == ("memcached", "memcached")
    assert svc.version


def test_real_postgresql(lab_postgres: Endpoint) -> None:
    svc = ident(lab_postgres)
    assert (svc.service, svc.product) == ("postgresql", "PostgreSQL")
    assert "auth" in svc.extra or "error" in svc.extra


def test_real_exim(lab_smtp: Lab) -> None:
    svc = ident(lab_smtp.endpoints["smtp"])
    assert (svc.service, svc.product) == ("smtp", "exim")
    assert "STARTTLS" in svc.extra.get("smtp_extensions", "")
