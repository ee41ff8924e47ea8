"""Fixtures: a store with the sample lines ingested once per module."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from mamoru.seccloud.engine.ingest import IngestResult, ingest
from mamoru.seccloud.engine.testing import RANGES, Ingest, write_lines


@pytest.fixture
def ingest_lines(tmp_path: Path) -> Ingest:
    """Ingest lines (one file per call) into ``tmp_path / 'store'``."""
    counter = iter(range(1000))

    def run(lines: Sequence[str], **kwargs: object) -> IngestResult:
        path = write_lines(tmp_path / f"input-{next(counter)}.log", lines)
        options: dict[str, object] = {"prefecture": "13", "ranges": RANGES, **kwargs}
        return ingest([path], store=tmp_path / "store", **options)  # type: ignore[arg-type]

    return run
