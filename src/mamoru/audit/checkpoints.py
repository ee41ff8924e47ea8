"""Signed checkpoints: the audit chain anchored outside the database.

The hash chain proves that no entry was edited, inserted or removed *between* entries,
and the append-only triggers keep the database's own users from shortening it. But a
database owner can drop the triggers, delete the newest entries and rewind the head; the
shorter chain is then a valid chain. What stops that is a record kept elsewhere of how
long the chain was: a checkpoint.

A checkpoint says "at time T the chain had N entries and its head digest was D", signed
with HMAC-SHA256 under ``AUDIT_KEY`` (someone who can write the database but not read
the key cannot forge one). The scheduler writes one every
``MAMORU_AUDIT_CHECKPOINT_MINUTES`` (``audit.checkpoint`` in ``audit/tasks.py``):

* to the log (logger ``mamoru.audit.checkpoint``), which operators ship off the machine;
* appended as one JSON line to ``MAMORU_AUDIT_CHECKPOINT_FILE`` when set, a file that
  operators keep where the database's administrators cannot rewrite it (another host,
  WORM storage, a log collector).

``mamoru audit verify --checkpoint FILE`` then requires that the N-th entry of the chain
still carries digest D for every checkpoint in the file: a chain shortened behind a
checkpoint, or rewritten before it (even re-hashed with the key), fails. Lines copied
from the log are accepted as they are (the JSON object after "audit checkpoint").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mamoru.audit.models import AuditHead
from mamoru.audit.services import GENESIS

logger = logging.getLogger("mamoru.audit.checkpoint")

VERSION = 1
_DOMAIN = b"mamoru audit checkpoint\n"  # a checkpoint's MAC can never pass for a chain digest
_LOG_PREFIX = "audit checkpoint "


@dataclass(frozen=True)
class Checkpoint:
    """The chain's length and head digest at one moment."""

    count: int
    digest: str
    at: datetime

    def _payload(self) -> bytes:
        fields = {
            "v": VERSION,
            "count": self.count,
            "digest": self.digest,
            "at": self.at.astimezone(UTC).isoformat(),
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def mac(self) -> str:
        """HMAC-SHA256 of the checkpoint under ``AUDIT_KEY``."""
        key = settings.AUDIT_KEY.encode()
        return hmac.new(key, _DOMAIN + self._payload(), hashlib.sha256).hexdigest()

    def to_line(self) -> str:
        """The checkpoint as one JSON line (what the file and the log keep)."""
        fields = json.loads(self._payload())
        return json.dumps({**fields, "mac": self.mac()}, sort_keys=True, separators=(",", ":"))


class CheckpointError(ValueError):
    """A line that is not a checkpoint signed with this platform's audit key."""


def checkpoint_take(*, now: datetime | None = None) -> Checkpoint:
    """The chain's checkpoint now (the head is read in one row, so count and digest match)."""
    head = AuditHead.objects.filter(pk=1).first()
    moment = (now or timezone.now()).astimezone(UTC).replace(microsecond=0)
    if head is None:
        return Checkpoint(count=0, digest=GENESIS, at=moment)
    return Checkpoint(count=head.count, digest=head.digest, at=moment)


def checkpoint_write(*, path: str | None = None) -> Checkpoint:
    """Take a checkpoint, log it, and append it to ``path`` (default
    ``settings.AUDIT_CHECKPOINT_FILE``; only the log when neither is set)."""
    checkpoint = checkpoint_take()
    line = checkpoint.to_line()
    logger.info("%s%s", _LOG_PREFIX, line)
    target = settings.AUDIT_CHECKPOINT_FILE if path is None else path
    if target:
        # O_APPEND: concurrent writers (several workers) never interleave within a line.
        descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (line + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return checkpoint


def checkpoint_parse(line: str) -> Checkpoint:
    """The checkpoint of one line (a file line or a log line); ``CheckpointError`` when it
    is malformed or its signature is not this platform's."""
    text = line.strip()
    if _LOG_PREFIX in text:
        text = text.split(_LOG_PREFIX, 1)[1]
    try:
        fields = json.loads(text)
        checkpoint = Checkpoint(
            count=int(fields["count"]),
            digest=str(fields["digest"]),
            at=datetime.fromisoformat(str(fields["at"])),
        )
        mac = str(fields["mac"])
        version = fields["v"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError("検査点の形式ではありません") from exc
    if version != VERSION:
        raise CheckpointError(f"検査点の版 {version!r} は読めません")
    if checkpoint.at.tzinfo is None or checkpoint.count < 0:
        raise CheckpointError("検査点の形式ではありません")
    if not hmac.compare_digest(mac, checkpoint.mac()):
        raise CheckpointError("署名が一致しません（偽造されたか、別の監査鍵で署名された検査点）")
    return checkpoint


@dataclass(frozen=True)
class CheckpointFile:
    """The checkpoints of a file, and the lines that are not valid checkpoints."""

    checkpoints: list[Checkpoint]
    errors: list[str]


def checkpoints_read(lines: Iterable[str], *, source: str = "") -> CheckpointFile:
    """Every checkpoint of ``lines`` (blank lines skipped); bad lines are reported by
    number, never skipped silently."""
    found: list[Checkpoint] = []
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            found.append(checkpoint_parse(line))
        except CheckpointError as exc:
            errors.append(f"{source}:{number}: {exc}")
    return CheckpointFile(checkpoints=found, errors=errors)


def checkpoints_from_file(path: Path) -> CheckpointFile:
    """``checkpoints_read`` of a file (UTF-8, one checkpoint a line)."""
    with path.open(encoding="utf-8") as lines:
        return checkpoints_read(lines, source=str(path))
