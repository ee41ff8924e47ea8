"""The one way past the append-only triggers: an explicit, scoped maintenance switch.

The triggers of migration 0002 refuse every UPDATE and DELETE of audit entries unless
the connection says it is in maintenance: on PostgreSQL the session setting
``mamoru.audit_maintenance``, on SQLite the SQL function ``mamoru_audit_maintenance()``
that this module registers on each connection (a connection without it, such as the
``sqlite3`` shell, cannot even evaluate the trigger, so the change is refused).

Only ``mamoru flush`` (a full reset, which the test suite also uses between
transactional tests) enters maintenance. Nothing in the application does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

_in_maintenance: ContextVar[bool] = ContextVar("mamoru_audit_maintenance", default=False)


def _sqlite_flag() -> int:
    return 1 if _in_maintenance.get() else 0


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: give SQLite connections the trigger's switch."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("mamoru_audit_maintenance", 0, _sqlite_flag)


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this thread's connection change the audit table until the block ends."""
    connection = connections[using]
    token = _in_maintenance.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('mamoru.audit_maintenance', 'on', false)")
        yield
    finally:
        _in_maintenance.reset(token)
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('mamoru.audit_maintenance', 'off', false)")
