"""Authenticator seeds are encrypted at rest, under keys that rotate."""

from __future__ import annotations

import base64
import importlib
import re
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from mamoru.accounts.models import TotpDevice
from mamoru.accounts.seeds import SeedUndecryptable, seed_decrypt
from mamoru.audit.models import AuditEvent
from mamoru.testing import Cast, SignIn, totp_device_for, totp_now

SETUP = "/accounts/mfa/setup/"
VERIFY = "/accounts/mfa/verify/"
SECRET = re.compile(r'<code class="secret"[^>]*>([A-Z2-7=]+)</code>')
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def everything_stored() -> str:
    """Every value of every table, as text (the test database is small)."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(dump).lower()


@pytest.mark.django_db
def test_no_seed_is_stored_in_plain_form_anywhere_in_the_database(
    cast: Cast, signed_in: SignIn
) -> None:
    page = signed_in(cast.chiyoda, mfa=False).get(SETUP).content.decode()
    match = SECRET.search(page)
    assert match is not None, page
    seed = base64.b32decode(match.group(1))
    assert len(seed) == 20
    stored = everything_stored()
    for form in (seed.hex(), match.group(1), base64.b64encode(seed).decode()):
        assert form.lower() not in stored


@pytest.mark.django_db
def test_the_stored_seed_opens_only_with_the_configured_key(cast: Cast, settings: Any) -> None:
    settings.OTP_ENCRYPTION_KEYS = [OLD_KEY]
    device = totp_device_for(cast.chiyoda)
    assert Fernet(OLD_KEY).decrypt(device.encrypted_key.encode()) == device.bin_key
    settings.OTP_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(SeedUndecryptable, match="MAMORU_OTP_ENCRYPTION_KEYS"):
        seed_decrypt(device.encrypted_key)


@pytest.mark.django_db
def test_rotation_moves_every_seed_to_the_newest_key(
    cast: Cast, settings: Any, signed_in: SignIn
) -> None:
    settings.OTP_ENCRYPTION_KEYS = [OLD_KEY]
    devices = [totp_device_for(cast.chiyoda), totp_device_for(cast.tokyo)]
    seeds = [d.bin_key for d in devices]
    settings.OTP_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]  # the new key first, the old one kept
    out = StringIO()
    call_command("accounts", "rotate-otp-key", stdout=out)
    assert "2件の認証アプリの秘密鍵を最新の暗号鍵で暗号化し直しました" in out.getvalue()
    settings.OTP_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    for device, seed in zip(devices, seeds, strict=True):
        device.refresh_from_db()
        assert device.bin_key == seed
    # The person's authenticator app keeps working: the seed itself did not change.
    client = signed_in(cast.chiyoda, mfa=False)
    assert client.post(VERIFY, {"otp_token": totp_now(devices[0])}).status_code == 302
    event = AuditEvent.objects.filter(action="accounts.otp_key.rotate").get()
    assert event.details == {"reencrypted": 2, "undecryptable": []}


@pytest.mark.django_db
def test_rotation_names_the_seeds_no_key_opens(cast: Cast, settings: Any) -> None:
    settings.OTP_ENCRYPTION_KEYS = [OLD_KEY]
    device = totp_device_for(cast.chiyoda)
    settings.OTP_ENCRYPTION_KEYS = [NEW_KEY]  # the old key removed too early
    with pytest.raises(CommandError, match=f"端末 ID: {device.pk}") as refused:
        call_command("accounts", "rotate-otp-key", stdout=StringIO())
    assert refused.value.returncode == 1
    device.refresh_from_db()
    assert Fernet(OLD_KEY).decrypt(device.encrypted_key.encode())  # left as it was


def test_a_new_key_is_a_fernet_key() -> None:
    out = StringIO()
    call_command("accounts", "new-otp-key", stdout=out)
    key = out.getvalue().strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert len(key) == 44


@pytest.mark.django_db
def test_devices_of_django_otps_plain_table_move_encrypted(cast: Cast) -> None:
    """What migration 0004 does on a database of an earlier version."""
    seed = bytes(range(20))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE otp_totp_totpdevice (id integer PRIMARY KEY, user_id bigint,"
            " name varchar(64), confirmed boolean, key varchar(80), step smallint, t0 bigint,"
            " digits smallint, tolerance smallint, drift smallint, last_t bigint,"
            " throttling_failure_timestamp timestamp with time zone NULL,"
            " throttling_failure_count integer, created_at timestamp with time zone NULL,"
            " last_used_at timestamp with time zone NULL)"
        )
        cursor.execute(
            "INSERT INTO otp_totp_totpdevice VALUES"
            " (7, %s, 'phone', %s, %s, 30, 0, 6, 1, -1, 52345678, NULL, 2,"
            " '2025-04-01 09:00:00+00:00', NULL)",
            [cast.chiyoda.pk, True, seed.hex()],
        )
    migration = importlib.import_module("mamoru.accounts.migrations.0004_totpdevice")
    # The step uses only the editor's connection (SQLite's editor cannot open inside the
    # test's transaction).
    migration.move_plain_devices(apps, SimpleNamespace(connection=connection))
    moved = TotpDevice.objects.get(user=cast.chiyoda)
    assert (moved.bin_key, moved.name, moved.confirmed, moved.drift) == (seed, "phone", True, -1)
    assert (moved.last_t, moved.throttling_failure_count) == (52345678, 2)
    assert moved.created_at is not None
    assert moved.created_at.year == 2025
    assert seed.hex() not in everything_stored()


@pytest.mark.django_db
def test_rotation_reaches_every_seed_across_ranges_and_gaps(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mamoru.accounts import services

    settings.OTP_ENCRYPTION_KEYS = [OLD_KEY]
    devices = [totp_device_for(user) for user in (cast.chiyoda, cast.tokyo, cast.nation)]
    devices[1].delete()  # a gap in the ids
    monkeypatch.setattr(services, "ROTATION_BATCH", 1)
    settings.OTP_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert services.otp_seeds_reencrypt().reencrypted == 2
    settings.OTP_ENCRYPTION_KEYS = [NEW_KEY]
    for device in (devices[0], devices[2]):
        device.refresh_from_db()
        assert seed_decrypt(device.encrypted_key)
