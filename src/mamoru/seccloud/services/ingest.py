"""Ingest through the control plane: files of one prefecture into the engine's store, then
the aggregates the pages read (segments' counts, health per device and day) and the
alerts of the days touched.

At-least-once and idempotent: the engine skips a segment already in (its checkpoint) and
the counts of a segment enter the database once (``IngestedSegment``), whether the segment
was ingested now or by an earlier attempt that stopped before recording it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

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
from mamoru.seccloud.services.common import engine_config, require_operator, store_root
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
) -> IngestRun:
    """Ingest log files (plain, gzip, zstd) of ``prefecture``; the run with its counts.

    The run's row is updated after every file, so the ingest page shows how far a large
    ingest has got. Alerts of the days the files touched are recomputed (upserted).
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
            progress=advance,
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
    run = ingest_files(principal=principal, prefecture=prefecture, paths=files, source="syslog")
    done = spool / "ingested"
    done.mkdir(parents=True, exist_ok=True)
    for path in files:
        path.replace(done / path.name)
    return run
