"""Make submissions immutable in the database itself.

A trigger refuses any UPDATE of a submission's content, checksum, phase, version or
report, whoever issues it (the ORM, the admin, someone at ``psql``). Deleting is left to
the foreign keys (``PROTECT`` from deliveries) and to ``mamoru flush``.
"""

from django.db import migrations

MESSAGE = "incident submissions are immutable"
COLUMNS = ("content", "checksum", "phase", "version", "report_id", "submitted_at")

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER incidents_submission_immutable
    BEFORE UPDATE OF {", ".join(COLUMNS)} ON incidents_submission
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS incidents_submission_immutable"]

_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in COLUMNS)
POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION incidents_submission_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF {_CHANGED} THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    """
    CREATE TRIGGER incidents_submission_immutable
    BEFORE UPDATE ON incidents_submission
    FOR EACH ROW EXECUTE FUNCTION incidents_submission_immutable()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS incidents_submission_immutable ON incidents_submission",
    "DROP FUNCTION IF EXISTS incidents_submission_immutable()",
]


def _run(statements_by_vendor: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"submission triggers are not written for {vendor}")
        for sql in statements_by_vendor[vendor]:
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
