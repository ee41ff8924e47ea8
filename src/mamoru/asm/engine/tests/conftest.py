"""Fixtures shared by the engine's tests. Add yours; keep each group in its own module."""

# The lab of real Debian servers (session-scoped, started on first use).
from mamoru.asm.engine.tests.lab.fixtures import (  # noqa: F401
    lab,
    lab_apache,
    lab_ftp,
    lab_memcached,
    lab_nginx,
    lab_postgres,
    lab_redis,
    lab_resolver,
    lab_smtp,
    lab_squid,
    lab_ssh,
)
