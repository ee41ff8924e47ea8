"""Make the audit log append-only in the database itself.

Triggers refuse UPDATE and DELETE on ``audit_auditevent`` (and TRUNCATE on PostgreSQL),
whoever issues them: the ORM, the admin, a cascade, or someone at ``psql``. The one
way through is ``mamoru.audit.maintenance.audit_maintenance()``, used only by
``mamoru flush`` (a full reset of the database). Someone with rights to drop triggers
can still remove them; the keyed hash chain is what detects that (``mamoru audit verify``).
"""

from django.db import migrations

MESSAGE = "audit log is append-only"

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_auditevent_no_{op.lower()}
    BEFORE {op} ON audit_auditevent
    WHEN NOT mamoru_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END
    """
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]

POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('mamoru.audit_maintenance', true), '') = 'on' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]


def _run(statements_by_vendor: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"append-only audit triggers are not written for {vendor}")
        for sql in statements_by_vendor[vendor]:
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
