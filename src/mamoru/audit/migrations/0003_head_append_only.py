"""Make the head of the audit chain (``audit_audithead``) append-only too.

With only the entries protected, someone with rights on the database could delete the
newest entries (after dropping the entries' triggers) and rewind the head so the shorter
chain verifies. Now the head refuses, whoever asks, unless in audit maintenance
(``mamoru.audit.maintenance``, used only by ``mamoru flush``):

* DELETE (and TRUNCATE on PostgreSQL);
* any UPDATE that does not advance ``count`` by exactly one (a rewind, a jump, a rewrite
  in place), or that changes the row's id;
* an INSERT other than the genesis head (id 1, count 0, the all-zero digest) that the
  first entry creates.

Dropping triggers is still possible for a database owner; the signed checkpoints kept
outside the database (``mamoru.audit.checkpoints``) are what detect that.
"""

from django.db import migrations

MESSAGE = "audit log is append-only"
GENESIS = "0" * 64

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_audithead_no_delete
    BEFORE DELETE ON audit_audithead
    WHEN NOT mamoru_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE of the head refused'); END
    """,
    f"""
    CREATE TRIGGER audit_audithead_advance_only
    BEFORE UPDATE ON audit_audithead
    WHEN NOT mamoru_audit_maintenance() AND (NEW.count != OLD.count + 1 OR NEW.id != OLD.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: the head only advances by one'); END
    """,
    f"""
    CREATE TRIGGER audit_audithead_genesis_only
    BEFORE INSERT ON audit_audithead
    WHEN NOT mamoru_audit_maintenance()
        AND (NEW.id != 1 OR NEW.count != 0 OR NEW.digest != '{GENESIS}')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: only the genesis head may be inserted'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_audithead_no_delete",
    "DROP TRIGGER IF EXISTS audit_audithead_advance_only",
    "DROP TRIGGER IF EXISTS audit_audithead_genesis_only",
]

POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_audithead_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('mamoru.audit_maintenance', true), '') = 'on' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.count = OLD.count + 1 AND NEW.id = OLD.id THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'INSERT' AND NEW.id = 1 AND NEW.count = 0 AND NEW.digest = '{GENESIS}' THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % of the head refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_audithead_append_only
    BEFORE INSERT OR UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_audithead_append_only()
    """,
    """
    CREATE TRIGGER audit_audithead_no_truncate
    BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_audithead_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_audithead_no_truncate ON audit_audithead",
    "DROP TRIGGER IF EXISTS audit_audithead_append_only ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_audithead_append_only()",
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
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
