"""The audit log is append-only in the database, and ``mamoru audit verify`` detects
every edit, deletion or forgery of its entries."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from mamoru.audit.models import AuditEvent
from mamoru.audit.services import GENESIS, audit_record, event_payload
from mamoru.audit.testing import (
    POSTGRES_TRIGGERS,
    SQLITE_TRIGGERS,
    drop_append_only_triggers,
    execute,
    trigger_names,
)
from mamoru.audit.verify import audit_chain_verify
from mamoru.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(cast: Cast) -> list[AuditEvent]:
    """Five fresh entries after whatever the database already holds."""
    chiyoda = cast.org("131016")
    return [
        audit_record(action="test.write", actor=cast.chiyoda, organisation=chiyoda, target=str(i))
        for i in range(5)
    ]


def verify_output() -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", "--batch-size", "2", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


def test_the_triggers_exist_after_migrating() -> None:
    expected = (
        set(SQLITE_TRIGGERS)
        if connection.vendor == "sqlite"
        else {name for name, _ in POSTGRES_TRIGGERS}
    )
    assert expected <= trigger_names()


def test_the_database_refuses_to_update_an_entry(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [chain[2].pk])
    assert AuditEvent.objects.get(pk=chain[2].pk).action == "test.write"


def test_the_database_refuses_to_delete_an_entry(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[2].pk).delete()
    assert AuditEvent.objects.filter(pk=chain[2].pk).exists()


def test_verify_passes_on_an_intact_chain(chain: list[AuditEvent]) -> None:
    out, err, code = verify_output()
    assert code == 0, err
    assert out.strip() == f"監査ログは正常です（{AuditEvent.objects.count()}件）"


def test_verify_fails_when_an_entry_is_altered(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute("UPDATE audit_auditevent SET outcome = 'denied' WHERE id = %s", [chain[2].pk])
    out, err, code = verify_output()
    assert code == 1
    assert f"#{chain[2].pk}: 内容がダイジェストと一致しません" in err
    assert "正常" not in out


def test_verify_fails_when_an_entry_in_the_middle_is_deleted(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[2].pk])
    execute("UPDATE audit_audithead SET count = count - 1")  # a careful attacker
    report = audit_chain_verify(batch_size=2)
    assert [p.event_id for p in report.problems] == [chain[3].pk]
    assert f"#{chain[2].pk}〜#{chain[2].pk}" in report.problems[0].message


def test_verify_fails_when_the_newest_entry_is_deleted(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    _, err, code = verify_output()
    assert code == 1
    assert "先頭: 先頭のダイジェストが最後の記録と一致しません" in err
    assert "件数が一致しません" in err


def test_verify_fails_when_the_newest_entry_and_the_head_are_rewound(
    chain: list[AuditEvent],
) -> None:
    # Rewinding the head too leaves a chain that links up; only the count can tell,
    # and only if the attacker forgets it. With both rewound, the deletion of the newest
    # entries is indistinguishable from them never having been written — the limit of a
    # hash chain without an external anchor.
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    execute("UPDATE audit_audithead SET digest = %s", [chain[-2].digest])
    report = audit_chain_verify()
    assert [str(p) for p in report.problems] == [
        f"先頭: 件数が一致しません（先頭: {AuditEvent.objects.count() + 1}件、実際: {AuditEvent.objects.count()}件）"
    ]


def test_verify_fails_when_an_entry_is_rehashed_without_the_key(
    chain: list[AuditEvent],
) -> None:
    victim = chain[1]
    victim.outcome = "denied"
    forged = hashlib.sha256(victim.previous_digest.encode() + b"\n" + event_payload(victim))
    drop_append_only_triggers()
    execute(
        "UPDATE audit_auditevent SET outcome = 'denied', digest = %s WHERE id = %s",
        [forged.hexdigest(), victim.pk],
    )
    execute(
        "UPDATE audit_auditevent SET previous_digest = %s WHERE id = %s",
        [forged.hexdigest(), chain[2].pk],
    )
    report = audit_chain_verify()
    assert {p.event_id for p in report.problems} == {victim.pk, chain[2].pk}
    assert all("ダイジェストと一致しません" in p.message for p in report.problems)


def test_verify_fails_when_the_first_entry_is_deleted(chain: list[AuditEvent]) -> None:
    first = AuditEvent.objects.order_by("id").first()
    assert first is not None
    assert first.previous_digest == GENESIS
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent WHERE id = %s", [first.pk])
    report = audit_chain_verify()
    assert "最初の記録より前" in str(report.problems[0])


def test_verify_passes_on_an_empty_log() -> None:
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent")
    execute("DELETE FROM audit_audithead")
    assert audit_chain_verify().ok


def test_verify_notices_a_missing_head(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute("DELETE FROM audit_audithead")
    assert [str(p) for p in audit_chain_verify().problems] == ["先頭: 先頭の記録がありません"]


def test_tail_shows_the_newest_entries_oldest_first(chain: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit", "tail", "-n", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == [f"#{chain[3].pk}", f"#{chain[4].pk}"]
    assert "chiyoda 131016 test.write 4 success" in lines[1]


def test_flush_may_empty_the_audit_log() -> None:
    # ``mamoru flush`` (a full reset, also used by transactional tests) is the one way
    # past the triggers; run inside this test's transaction, it is rolled back after.
    assert AuditEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not AuditEvent.objects.exists()
    audit_record(action="after.flush")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
