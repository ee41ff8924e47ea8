"""Where the engine keeps things under one root directory (local disk or a mounted bucket).

::

    dataset=events/pref=13/ym=2026-10/day=2026-10-05/seg-<segment>-0.parquet
    dataset=rollup_hourly/pref=13/ym=2026-10/day=2026-10-05/seg-<segment>-0.parquet
    raw/pref=13/ym=2026-10/<segment>.log.zst          the input, kept as zstd
    quarantine/pref=13/<segment>.jsonl.zst            lines no parser could store, with the reason
    _state/done/<segment>.json                        checkpoint: the segment is in, with its counts
    _state/publishing/<segment>.json                  files being moved into place (crash recovery)
    _state/staging/<segment>/                         files written before they are published

File names carry the segment id, so publishing a segment twice replaces its files instead of
adding rows: ingest is idempotent per segment.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Store", "normalise_prefecture"]


def normalise_prefecture(code: str) -> str:
    """'13', '130001' or '13000' → '13' (the first two digits of a local-government code)."""
    digits = code.strip()
    if not digits.isdigit() or len(digits) not in (2, 5, 6) or not 1 <= int(digits[:2]) <= 47:
        raise ValueError(f"都道府県コードが正しくありません: {code!r}")
    return digits[:2]


def _write_json_atomically(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class Store:
    """The engine's directory tree (see the module docstring)."""

    root: Path

    @property
    def events(self) -> Path:
        return self.root / "dataset=events"

    @property
    def rollups(self) -> Path:
        return self.root / "dataset=rollup_hourly"

    def events_glob(self, pref: str = "*", ym: str = "*") -> str:
        return str(self.events / f"pref={pref}" / f"ym={ym}" / "*" / "*.parquet")

    def rollups_glob(self, pref: str = "*", ym: str = "*") -> str:
        return str(self.rollups / f"pref={pref}" / f"ym={ym}" / "*" / "*.parquet")

    def staging(self, segment: str) -> Path:
        return self.root / "_state" / "staging" / segment

    def done_path(self, segment: str) -> Path:
        return self.root / "_state" / "done" / f"{segment}.json"

    def publishing_path(self, segment: str) -> Path:
        return self.root / "_state" / "publishing" / f"{segment}.json"

    def checkpoint(self, segment: str) -> dict[str, Any] | None:
        """The recorded result of a segment already ingested, or None."""
        path = self.done_path(segment)
        if not path.exists():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def mark_done(self, segment: str, record: dict[str, Any]) -> None:
        _write_json_atomically(self.done_path(segment), record)

    def undo_partial_publish(self, segment: str) -> int:
        """Remove the files of a publish that a crash interrupted; how many were removed."""
        path = self.publishing_path(segment)
        if not path.exists():
            return 0
        removed = 0
        for name in json.loads(path.read_text(encoding="utf-8")):
            target = self.root / name
            if target.exists():
                target.unlink()
                removed += 1
        path.unlink()
        return removed

    def publish(self, segment: str) -> list[str]:
        """Move the segment's staged files into place; the list is journalled first."""
        staging = self.staging(segment)
        moves = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        _write_json_atomically(self.publishing_path(segment), moves)
        for name in moves:
            target = self.root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
        return moves

    def finish_publish(self, segment: str) -> None:
        self.publishing_path(segment).unlink(missing_ok=True)
