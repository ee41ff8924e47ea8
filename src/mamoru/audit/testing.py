"""What an attacker with rights on the database does, for the tamper tests."""

from __future__ import annotations

from django.db import connection

SQLITE_TRIGGERS = (
    "audit_auditevent_no_update",
    "audit_auditevent_no_delete",
    "audit_audithead_no_delete",
    "audit_audithead_advance_only",
    "audit_audithead_genesis_only",
)
POSTGRES_TRIGGERS = (
    ("audit_auditevent_append_only", "audit_auditevent"),
    ("audit_auditevent_no_truncate", "audit_auditevent"),
    ("audit_audithead_append_only", "audit_audithead"),
    ("audit_audithead_no_truncate", "audit_audithead"),
)


def drop_append_only_triggers() -> None:
    """Inside the test's transaction, so the triggers come back when it rolls back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            for name, table in POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def execute(sql: str, params: list[str | int] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return int(cursor.rowcount)


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name IN ('audit_auditevent', 'audit_audithead')"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid IN"
                " ('audit_auditevent'::regclass, 'audit_audithead'::regclass)"
                " AND NOT tgisinternal"
            )
        return {row[0] for row in cursor.fetchall()}
