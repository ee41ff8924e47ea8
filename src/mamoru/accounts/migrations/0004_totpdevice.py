"""Authenticators with their seeds encrypted at rest, and the move of existing ones.

Until now authenticators were django-otp's ``otp_totp.TOTPDevice``, whose seed is plain
hex. That plugin is no longer installed; when its table exists (a database migrated by
an earlier version), every device moves here with its seed encrypted under the first
key of ``MAMORU_OTP_ENCRYPTION_KEYS`` (so set the production keys before migrating),
keeping its clock drift, replay guard and throttling, and the plain rows are deleted.
The emptied table itself stays, as django-otp's migrations left it.

People stay enrolled; a session verified with an old device asks for a code once more,
because the device it remembers has a new identity. The plain seeds may survive in old
backups and in the database's free pages until it is vacuumed: where that matters, ask
people to set up their authenticator again.
"""

from datetime import UTC, datetime

import django.db.models.deletion
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations, models

import mamoru.accounts.seeds

OLD_TABLE = "otp_totp_totpdevice"
COLUMNS = (
    "user_id",
    "name",
    "confirmed",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
)


TIMESTAMPS = ("throttling_failure_timestamp", "created_at", "last_used_at")


def _aware(value: object) -> object:
    """A timestamp as the ORM would read it (SQLite's raw rows give naive UTC text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.OTP_ENCRYPTION_KEYS])


def move_plain_devices(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Encrypt and move every device of django-otp's TOTP table, then empty it."""
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    device_model = apps.get_model("accounts", "TotpDevice")
    fernet = _fernet()
    quoted = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {OLD_TABLE} ORDER BY id")  # noqa: S608 - constants
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row.update({name: _aware(row[name]) for name in TIMESTAMPS})
        seed = bytes.fromhex(row.pop("key"))
        device = device_model(encrypted_key=fernet.encrypt(seed).decode("ascii"), **row)
        device.save()
        # created_at is auto_now_add: keep when the person really enrolled.
        device_model.objects.filter(pk=device.pk).update(created_at=row["created_at"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")  # noqa: S608 - a constant


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_recoverycodedevice_recoverycode"),
    ]

    operations = [
        migrations.CreateModel(
            name="TotpDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                (
                    "encrypted_key",
                    models.TextField(default=mamoru.accounts.seeds.seed_new_encrypted),
                ),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                (
                    "digits",
                    models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6),
                ),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "認証アプリ",
                "verbose_name_plural": "認証アプリ",
            },
        ),
        # Not reversible: moving seeds back into plain form is what this change removes.
        migrations.RunPython(move_plain_devices, migrations.RunPython.noop),
    ]
