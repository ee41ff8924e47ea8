"""Signed checkpoints kept outside the database catch what the chain alone cannot: the
newest entries deleted and the head rewound (after the triggers were dropped)."""

from __future__ import annotations

import json
import logging
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mamoru.audit.checkpoints import checkpoint_parse, checkpoints_read
from mamoru.audit.models import AuditEvent, AuditHead
from mamoru.audit.services import audit_record, chain_digest, event_payload
from mamoru.audit.tasks import audit_checkpoint
from mamoru.audit.testing import drop_append_only_triggers, execute
from mamoru.core.scheduler import declared_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(tmp_path: Path, settings: Any) -> tuple[list[AuditEvent], Path]:
    """Four entries, a checkpoint taken by the periodic task, then two more entries."""
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    events = [audit_record(action="test.write", target=str(i)) for i in range(4)]
    audit_checkpoint.call()
    events += [audit_record(action="test.write", target=str(i)) for i in range(4, 6)]
    return events, Path(settings.AUDIT_CHECKPOINT_FILE)


def verify(*checkpoint_files: Path) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    args = [arg for path in checkpoint_files for arg in ("--checkpoint", str(path))]
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue() + str(exc)
    return 0, out.getvalue()


def truncate_and_rewind(events: list[AuditEvent], keep: int) -> None:
    """What a database owner does to remove the newest entries without a trace in the chain."""
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent WHERE id > %s", [events[keep - 1].pk])
    execute(
        "UPDATE audit_audithead SET digest = %s, count = %s",
        [events[keep - 1].digest, AuditEvent.objects.count()],
    )


def test_the_scheduler_writes_a_signed_checkpoint_to_the_file_and_the_log(
    anchored: tuple[list[AuditEvent], Path], caplog: pytest.LogCaptureFixture
) -> None:
    events, path = anchored
    lines = path.read_text().splitlines()
    assert len(lines) == 1
    checkpoint = checkpoint_parse(lines[0])
    assert checkpoint.digest == events[3].digest
    assert checkpoint.count == AuditEvent.objects.filter(pk__lte=events[3].pk).count()
    assert declared_job("audit.checkpoint").task is audit_checkpoint
    with caplog.at_level(logging.INFO, logger="mamoru.audit.checkpoint"):
        audit_checkpoint.call()
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "mamoru.audit.checkpoint"]
    assert checkpoint_parse(logged).digest == events[-1].digest  # a log line reads back too
    assert len(path.read_text().splitlines()) == 2  # appended, never rewritten


def test_verify_with_the_checkpoint_passes_on_an_intact_chain(
    anchored: tuple[list[AuditEvent], Path],
) -> None:
    code, out = verify(anchored[1])
    assert code == 0, out
    assert "検査点1件と照合" in out


def test_truncation_with_a_rewound_head_fails_only_with_the_checkpoint(
    anchored: tuple[list[AuditEvent], Path],
) -> None:
    events, path = anchored
    truncate_and_rewind(events, keep=3)  # one entry before the checkpoint, too
    assert verify() == (0, f"監査ログは正常です（{AuditEvent.objects.count()}件）\n")
    code, err = verify(path)
    assert code == 1
    assert "の検査点では" in err
    assert "末尾の記録が削除された可能性" in err


def test_truncation_after_the_checkpoint_is_caught_by_a_later_checkpoint_only(
    anchored: tuple[list[AuditEvent], Path],
) -> None:
    events, path = anchored
    truncate_and_rewind(events, keep=5)  # keeps everything the checkpoint vouches for
    assert verify(path)[0] == 0  # the limit: nothing outside knew of entry 6
    audit_checkpoint.call()  # a later checkpoint, then a later truncation
    events = list(AuditEvent.objects.order_by("id"))
    truncate_and_rewind(events, keep=len(events) - 1)
    assert verify()[0] == 0
    assert verify(path)[0] == 1


def test_a_chain_rehashed_with_the_key_before_the_checkpoint_fails(
    anchored: tuple[list[AuditEvent], Path],
) -> None:
    # An attacker holding the audit key rewrites entry 2 and re-chains everything after
    # it: the chain verifies, the checkpoint does not.
    events, path = anchored
    drop_append_only_triggers()
    previous = events[0].digest
    for event in events[1:]:
        if event.pk == events[1].pk:
            event.outcome = "denied"
        event.previous_digest = previous
        event.digest = chain_digest(previous, event_payload(event))
        execute(
            "UPDATE audit_auditevent SET outcome = %s, previous_digest = %s, digest = %s"
            " WHERE id = %s",
            [event.outcome, event.previous_digest, event.digest, event.pk],
        )
        previous = event.digest
    execute("UPDATE audit_audithead SET digest = %s", [previous])
    assert verify()[0] == 0
    code, err = verify(path)
    assert code == 1
    assert f"#{events[3].pk}: " in err
    assert "ダイジェストが一致しません" in err


def test_a_forged_checkpoint_line_fails(anchored: tuple[list[AuditEvent], Path]) -> None:
    path = anchored[1]
    fields = json.loads(path.read_text())
    fields["count"] += 1_000  # someone inflating the chain's length to cause alarm
    with path.open("a") as file:
        file.write(json.dumps(fields) + "\nnot a checkpoint\n")
    code, err = verify(path)
    assert code == 1
    assert f"{path}:2: 署名が一致しません" in err
    assert f"{path}:3: 検査点の形式ではありません" in err
    assert "の検査点では" not in err  # the forged count was not believed


def test_a_checkpoint_signed_with_another_key_is_refused(
    anchored: tuple[list[AuditEvent], Path], settings: Any
) -> None:
    line = anchored[1].read_text()
    settings.AUDIT_KEY = "another-key-" + "z" * 40
    result = checkpoints_read([line])
    assert result.checkpoints == []
    assert "署名が一致しません" in result.errors[0]


def test_an_unreadable_checkpoint_file_is_an_error(tmp_path: Path) -> None:
    code, err = verify(tmp_path / "missing.jsonl")
    assert code == 1
    assert "検査点ファイル" in err


def test_an_empty_chain_has_a_checkpoint_of_nothing(tmp_path: Path) -> None:
    drop_append_only_triggers()
    execute("DELETE FROM audit_auditevent")
    execute("DELETE FROM audit_audithead")
    out = StringIO()
    call_command("audit", "checkpoint", "--file", str(tmp_path / "c.jsonl"), stdout=out)
    checkpoint = checkpoint_parse(out.getvalue())
    assert checkpoint.count == 0
    assert not AuditHead.objects.exists()
    assert verify(tmp_path / "c.jsonl")[0] == 0
