"""Ingest through the control plane: files of one prefecture into the engine's store, then
the aggregates the pages read (segments' counts, health per device and day) and the
alerts of the days touched.

At-least-once and idempotent: the engine skips a segment already in (its checkpoint) and
the counts of a segment enter the database once (``IngestedSegment``), whether the segment
was ingested now or by an earlier attempt that stopped before recording it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Actor, audit
from mamoru.seccloud import engine
from mamoru.seccloud.models import (
    AddressRange,
    Device,
    DeviceDay,
    IngestedSegment,
    IngestRun,
    LogFormat,
    RunStatus,
)
from mamoru.seccloud.services.alerts import detect_days
from mamoru.seccloud.services.common import (
    engine_config,
    require_operator,
    spool_root,
    store_root,
)
from mamoru.seccloud.services.reports import prefecture_figures_refresh

Progress = Callable[[engine.IngestProgress], None]


def ranges_for(prefecture: Organisation) -> list[engine.AddressRange]:
    """The dated ranges of the prefecture and its municipalities, for attribution."""
    rows = AddressRange.objects.unscoped(
        "attribution reads every range of the prefecture being ingested"
    ).filter(prefecture_code=prefecture.prefecture_code)
    return [
        engine.AddressRange(r.organisation.code, r.cidr, r.valid_from, r.valid_to)
        for r in rows.select_related("organisation")
    ]


def _device(prefecture: Organisation, name: str) -> Device:
    device, _created = Device.objects.unscoped(
        "a device seen in the prefecture's logs, registered on first sight"
    ).get_or_create(
        prefecture=prefecture,
        name=name or "(不明)",
        defaults={"format": LogFormat.AUTO, "registered_by_ingest": True},
    )
    return device


def _record_segment(prefecture: Organisation, seg: engine.SegmentResult) -> set[date]:
    """Add one segment's counts to the health rows, once; the days it touched."""
    counts = engine.segment_devices(
        store=store_root(), prefecture=prefecture.prefecture_code, segment=seg.segment,
        config=engine_config(),
    )  # fmt: skip
    days = {c.day for c in counts}
    with transaction.atomic():
        _row, created = IngestedSegment.objects.unscoped(
            "the ingest service records a segment of the prefecture it checked"
        ).get_or_create(
            prefecture=prefecture,
            segment=seg.segment,
            defaults={
                "rows_read": seg.rows_read,
                "rows_stored": seg.rows_stored,
                "rows_quarantined": seg.rows_quarantined,
            },
        )
        if not created:
            return days
        for count in counts:
            day, _new = DeviceDay.objects.unscoped(
                "health of a device of the prefecture the service checked"
            ).get_or_create(device=_device(prefecture, count.device), day=count.day)
            DeviceDay.objects.unscoped("the row just read").filter(pk=day.pk).update(
                lines=F("lines") + count.lines
            )
            day.refresh_from_db()
            first = min(filter(None, [day.first_line_at, count.first_line]))
            last = max(filter(None, [day.last_line_at, count.last_line]))
            DeviceDay.objects.unscoped("the row just read").filter(pk=day.pk).update(
                first_line_at=first, last_line_at=last
            )
        today = timezone.localdate()
        for name, quarantined in seg.quarantined_by_device.items():
            day, _new = DeviceDay.objects.unscoped(
                "health of a device of the prefecture the service checked"
            ).get_or_create(device=_device(prefecture, name), day=min(days) if days else today)
            DeviceDay.objects.unscoped("the row just read").filter(pk=day.pk).update(
                quarantined=F("quarantined") + quarantined
            )
    return days


def _severity_maps(prefecture: Organisation) -> dict[str, dict[str, int]]:
    """Every device's severity map, by the name its lines carry (a syslog segment mixes
    the prefecture's appliances)."""
    devices = Device.objects.unscoped("the devices of the prefecture the service checked")
    return {
        device.name: {str(k): int(v) for k, v in device.severity_map.items()}
        for device in devices.filter(prefecture=prefecture)
        if device.severity_map
    }


def ingest_files(
    *,
    principal: Actor,
    prefecture: Organisation,
    paths: Sequence[Path],
    fmt: str = "auto",
    device_name: str = "",
    source: str = "",
    progress: Progress | None = None,
    detect: bool = True,
    verify: bool = True,
) -> IngestRun:
    """Ingest log files (plain, gzip, zstd) of ``prefecture``; the run with its counts.

    The run's row is updated after every file, so the ingest page shows how far a large
    ingest has got. Compressed files are read to their end first (``verify``): a truncated
    copy is refused, not stored in part. Alerts of the days the files touched are recomputed (upserted).
    """
    require_operator(principal, prefecture)
    run = IngestRun.objects.create(
        prefecture=prefecture, source=(source or ", ".join(p.name for p in paths))[:200],
        files=len(paths),
    )  # fmt: skip

    def advance(step: engine.IngestProgress) -> None:
        IngestRun.objects.unscoped("the run this call created").filter(pk=run.pk).update(
            segments=step.segments_done,
            rows_read=step.rows_done,
            bytes_done=step.bytes_done,
            bytes_total=step.bytes_total,
        )
        if progress is not None:
            progress(step)

    try:
        result = engine.ingest(
            list(paths), store=store_root(), prefecture=prefecture.prefecture_code,
            ranges=ranges_for(prefecture), fmt=fmt, device=device_name,
            severity_maps=_severity_maps(prefecture), config=engine_config(),
            progress=advance, verify=verify,
        )  # fmt: skip
        days: set[date] = set()
        for seg in result.segments:
            days |= _record_segment(prefecture, seg)
        if detect and days:
            detect_days(prefecture=prefecture, days=sorted(days))
        prefecture_figures_refresh(prefecture=prefecture, months={d.replace(day=1) for d in days})
    except Exception as error:
        IngestRun.objects.unscoped("the run this call created").filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    run.segments = len(result.segments)
    run.segments_skipped = sum(s.skipped for s in result.segments)
    run.rows_read, run.rows_stored = result.rows_read, result.rows_stored
    run.rows_quarantined = result.rows_quarantined
    run.status, run.finished_at = RunStatus.DONE, timezone.now()
    run.save()
    audit(
        principal, "seccloud.ingest", organisation=prefecture, target=f"run:{run.pk}",
        details={"rows_read": run.rows_read, "rows_stored": run.rows_stored,
                 "rows_quarantined": run.rows_quarantined},
    )  # fmt: skip
    return run


def closed_segments(spool: Path) -> list[Path]:
    """The receiver's closed segments waiting in ``spool/closed`` (oldest first)."""
    closed = spool / "closed"
    return sorted(closed.glob("*.log.zst")) if closed.is_dir() else []


def spool_ingest(*, principal: Actor, prefecture: Organisation, spool: Path) -> IngestRun | None:
    """One micro-batch: every closed segment of the spool, then moved to ``ingested/``.

    A crash between the ingest and the move leaves the files in ``closed/``; the next
    batch ingests them again, which the checkpoints turn into a no-op.
    """
    files = closed_segments(spool)
    if not files:
        return None
    run = ingest_files(
        principal=principal, prefecture=prefecture, paths=files, source="syslog", verify=False
    )  # the receiver's own segments, closed whole
    done = spool / "ingested"
    done.mkdir(parents=True, exist_ok=True)
    for path in files:
        path.replace(done / path.name)
    return run


# The drop folder (``<spool>/drop``): an operator copies log files there (plain, gzip or
# zstd, under any rotated name: fortigate.log.1.gz, traffic.log-20261005, mail.log.2) and
# the micro-batch ingests each once it has been left alone for SETTLED — a copy (cp, scp,
# rsync) writes for a while, and a half-copied file would be ingested short. Dot-files and
# names of copies in progress are left for later.
SETTLED = timedelta(seconds=30)
_IN_PROGRESS = (".part", ".tmp", ".partial", ".filepart", ".crdownload")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# What a file the engine cannot read raises (DuckDB's readers, gzip, the file system); a
# database or programming error is not the file's fault and leaves it in place.
UNREADABLE = (duckdb.Error, OSError, ValueError, EOFError)


def drop_root(prefecture: Organisation) -> Path:
    """The folder the prefecture's operators drop log files into."""
    return spool_root(prefecture) / "drop"


@dataclass(frozen=True)
class DropStatus:
    """What the ingest page says of the drop folder: where it is, what waits in it, and
    the files set aside with their reasons (newest first)."""

    folder: Path
    waiting: list[str]
    failed: list[tuple[str, str]]


def drop_status(prefecture: Organisation, *, shown: int = 20) -> DropStatus:
    """The drop folder of ``prefecture`` as the ingest page shows it (the caller has gated
    the prefecture)."""
    spool = spool_root(prefecture)
    drop, failed = spool / "drop", spool / "failed"
    waiting = (
        sorted(p.name for p in drop.iterdir() if p.is_file() and not p.name.startswith("."))
        if drop.is_dir()
        else []
    )
    reasons = sorted(failed.glob("*.reason.txt"), reverse=True)[:shown] if failed.is_dir() else []
    return DropStatus(
        drop,
        waiting[:shown],
        [
            (r.name.removesuffix(".reason.txt"), r.read_text(encoding="utf-8")[:300])
            for r in reasons
        ],
    )


def dropped_files(drop: Path, *, now: float | None = None) -> list[Path]:
    """The settled log files waiting in ``drop``, oldest first."""
    if not drop.is_dir():
        return []
    moment = time.time() if now is None else now
    found = [
        (path.stat().st_mtime, path.name, path)
        for path in drop.iterdir()
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith(_IN_PROGRESS)
    ]
    settled = SETTLED.total_seconds()
    return [path for mtime, _name, path in sorted(found) if moment - mtime >= settled]


def drop_ingest(
    *, principal: Actor, prefecture: Organisation, spool: Path, now: float | None = None
) -> list[IngestRun]:
    """Ingest each settled file of the drop folder, one run per file, then move it to
    ``ingested/`` (stamped: a rotated name comes back with other lines the next day). A
    file the engine cannot read (a truncated gzip, say) goes to ``failed/`` with the reason
    beside it and its run marked failed: kept, shown on the ingest page, never retried
    forever, and the files after it are still ingested."""
    runs = []
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    for path in dropped_files(spool / "drop", now=now):
        source = _("取り込みフォルダ: %(name)s") % {"name": path.name}
        try:
            runs.append(
                ingest_files(
                    principal=principal, prefecture=prefecture, paths=[path], source=source
                )
            )
        except UNREADABLE as error:
            failed = spool / "failed"
            failed.mkdir(parents=True, exist_ok=True)
            path.replace(failed / f"{stamp}-{path.name}")
            (failed / f"{stamp}-{path.name}.reason.txt").write_text(str(error), encoding="utf-8")
            continue
        done = spool / "ingested"
        done.mkdir(parents=True, exist_ok=True)
        path.replace(done / f"{stamp}-{path.name}")
    return runs


def upload_save(
    *, principal: Actor, prefecture: Organisation, name: str, size: int, chunks: Iterable[bytes]
) -> Path:
    """Put a log file uploaded on the ingest page into the prefecture's drop folder: written
    under a hidden name, then renamed whole (the micro-batch never sees half of it) and
    dated as settled. ``ValidationError`` in Japanese when it is too large."""
    require_operator(principal, prefecture)
    limit = settings.MAMORU_SECCLOUD_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("ファイルが大きすぎます（上限 %(limit)s）。大きなログは取り込みフォルダ（%(folder)s）に直接置いてください。")
            % {"limit": f"{limit / 1024**3:.0f} GB", "folder": drop_root(prefecture)}
        )  # fmt: skip
    drop = drop_root(prefecture)
    drop.mkdir(parents=True, exist_ok=True)
    safe = _UNSAFE.sub("_", Path(name).name).strip("._")[:100] or "upload.log"
    target = drop / f"upload-{timezone.now():%Y%m%dT%H%M%S}-{safe}"
    partial = drop / f".{target.name}.part"
    with partial.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    settled = time.time() - SETTLED.total_seconds()
    os.utime(partial, (settled, settled))
    partial.replace(target)
    audit(
        principal, "seccloud.upload", organisation=prefecture, target=target.name,
        details={"bytes": size},
    )  # fmt: skip
    return target
