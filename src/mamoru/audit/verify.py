"""Checking the audit chain: ``mamoru audit verify``.

The walk goes through the entries in id order, in batches, and for each one:

* recomputes its HMAC digest from ``previous_digest`` and its fields (an edited entry,
  or one re-hashed by someone without ``AUDIT_KEY``, no longer matches);
* checks that ``previous_digest`` is the digest of the entry before it (the first one
  starts from the genesis digest), so a deleted or inserted entry breaks the link;
* names the ids missing between two entries in that message. Gaps alone are not
  reported: a PostgreSQL sequence skips values when a transaction that wrote an entry
  rolls back, and an intact link across a gap proves nothing was removed there;
* finally checks that the head (``AuditHead``) holds the last entry's digest and the
  number of entries, which catches the deletion of the newest entries;
* with checkpoints (``mamoru.audit.checkpoints``, signed and kept outside the database):
  the N-th entry must carry the digest each checkpoint of N entries recorded, and the
  chain must be at least as long as every checkpoint — which catches the newest entries
  deleted *and* the head rewound, and a chain rewritten before a checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC

from django.db.models import Q

from mamoru.audit.checkpoints import Checkpoint
from mamoru.audit.models import AuditEvent, AuditHead
from mamoru.audit.services import GENESIS, chain_digest, event_payload

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Problem:
    event_id: int | None  # None for the head
    message: str

    def __str__(self) -> str:
        where = f"#{self.event_id}" if self.event_id is not None else "先頭"
        return f"{where}: {self.message}"


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _events(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        everything = AuditEvent.objects.unscoped("verifying the whole chain")
        batch = list(everything.filter(Q(id__gt=last_id)).order_by("id")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last_id = batch[-1].pk


def _check_event(event: AuditEvent, previous: AuditEvent | None) -> list[Problem]:
    problems = []
    expected_previous = previous.digest if previous is not None else GENESIS
    if event.previous_digest != expected_previous:
        if previous is None:
            where = "最初の記録より前"
        elif event.pk - previous.pk > 1:
            where = f"#{previous.pk + 1}〜#{event.pk - 1} の範囲"
        else:
            where = f"#{previous.pk} との間"
        problems.append(
            Problem(event.pk, f"連鎖が切れています（{where}で記録が削除・改変された可能性）")
        )
    if chain_digest(event.previous_digest, event_payload(event)) != event.digest:
        problems.append(Problem(event.pk, "内容がダイジェストと一致しません（改ざんの可能性）"))
    return problems


def _check_head(last: AuditEvent | None, count: int) -> list[Problem]:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return [Problem(None, "先頭の記録がありません")] if last is not None else []
    problems = []
    if head.digest != (last.digest if last is not None else GENESIS):
        problems.append(
            Problem(
                None, "先頭のダイジェストが最後の記録と一致しません（末尾の記録が削除された可能性）"
            )
        )
    if head.count != count:
        problems.append(
            Problem(None, f"件数が一致しません（先頭: {head.count}件、実際: {count}件）")
        )
    return problems


def _when(checkpoint: Checkpoint) -> str:
    return checkpoint.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _check_position(
    event: AuditEvent, position: int, checkpoints: dict[int, list[Checkpoint]]
) -> list[Problem]:
    return [
        Problem(
            event.pk,
            f"{_when(c)} の検査点（{position}件目）とダイジェストが一致しません"
            "（それまでの記録が書き換えられた可能性）",
        )
        for c in checkpoints.get(position, [])
        if c.digest != event.digest
    ]


def _check_length(count: int, checkpoints: Sequence[Checkpoint]) -> list[Problem]:
    longest = max(checkpoints, key=lambda c: c.count, default=None)
    if longest is None or longest.count <= count:
        return []
    return [
        Problem(
            None,
            f"{_when(longest)} の検査点では{longest.count}件ありましたが、現在は{count}件です"
            "（末尾の記録が削除された可能性）",
        )
    ]


def audit_chain_verify(
    *, batch_size: int = BATCH_SIZE, checkpoints: Sequence[Checkpoint] = ()
) -> VerifyReport:
    """Walk the whole chain and report every problem found (no writes), holding it to
    each of ``checkpoints`` (already checked for their signature)."""
    report = VerifyReport()
    by_position: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        if checkpoint.count > 0:
            by_position.setdefault(checkpoint.count, []).append(checkpoint)
    previous: AuditEvent | None = None
    for event in _events(batch_size):
        report.problems += _check_event(event, previous)
        report.checked += 1
        report.problems += _check_position(event, report.checked, by_position)
        previous = event
    report.problems += _check_head(previous, report.checked)
    report.problems += _check_length(report.checked, checkpoints)
    return report
