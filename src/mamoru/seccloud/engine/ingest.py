"""Ingest: raw log segments → typed, attributed rows in Parquet, hourly rollups, quarantine.

One *segment* is one input file (a rotated log, a closed syslog segment). Its id is the
SHA-256 of its bytes, and every file it produces carries that id, so the same segment
ingested twice — after a crash, or dropped twice into the folder — replaces its own files
and never adds rows (see :mod:`store`). Per segment, in one DuckDB connection:

1. read the lines (``read_csv`` with one column; undecodable lines are kept as rejects);
2. parse into the table ``seg``: FortiGate lines of a verified layout by position
   (:mod:`fastkv`), every other line by its format's SQL (the syslog header stripped and
   the format recognised per line, or the one given); lines that cannot be stored keep
   their text and the reason;
3. attribute: the distinct addresses of the segment get their municipality and country
   by ASOF joins (:mod:`attribution`), the rows take them by hash joins;
4. write the events of each day sorted by municipality and time, the hourly rollups and
   the quarantine into staging as zstd Parquet/JSON, archive the input, then publish.
"""

from __future__ import annotations

import hashlib
import queue
import shutil
import threading
import time as clock
import zlib
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import zstandard

from mamoru.seccloud.engine.attribution import (
    attributed_sql,
    build_ipmap,
    day_sql,
    hour_sql,
    load_references,
)
from mamoru.seccloud.engine.chunks import (
    DEFAULT_CHUNK_LINES,
    DEFAULT_MAX_SEGMENT_BYTES,
    cut_into_chunks,
)
from mamoru.seccloud.engine.db import EngineConfig, connect, share_memory
from mamoru.seccloud.engine.fastkv import Layouts
from mamoru.seccloud.engine.formats import FORMATS, HOST_SQL, MSG_SQL, detect_sql, select_sql
from mamoru.seccloud.engine.formats.base import PARSED_COLUMNS
from mamoru.seccloud.engine.formats.fortigate import (
    FORTIGATE_KEYS,
    fortigate_from_values,
    value_column,
)
from mamoru.seccloud.engine.ranges import AddressRange, CountryRange
from mamoru.seccloud.engine.schema import CORE_COLUMNS
from mamoru.seccloud.engine.store import Store, normalise_prefecture

__all__ = ["IngestProgress", "IngestResult", "SegmentResult", "ingest", "segment_id"]

JST = timedelta(hours=9)
_CHUNK = 1 << 20
# A line the layout path could not verify; parsed again by its format's SQL.
_SLOW = "#slow"
_SEG_COLUMNS = ", ".join([*(n for n, _ in PARSED_COLUMNS), "host", "line", "reason"])
_FAST_DETECT = "contains(line, 'logid=') AND contains(line, 'type=')"


@dataclass(frozen=True)
class IngestProgress:
    """Handed to the progress callback after each segment (rows total is an estimate)."""

    segments_done: int
    segments_total: int
    bytes_done: int
    bytes_total: int
    rows_done: int
    rows_total_estimate: int


@dataclass(frozen=True)
class SegmentResult:
    """What one segment gave; ``skipped`` when its checkpoint said it was already in."""

    path: str
    segment: str
    rows_read: int
    rows_stored: int
    rows_quarantined: int
    quarantined_by_device: dict[str, int]
    skipped: bool = False
    seconds: float = 0.0


@dataclass
class IngestResult:
    """All segments of one ingest call."""

    segments: list[SegmentResult] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.segments if not s.skipped)

    @property
    def rows_stored(self) -> int:
        return sum(s.rows_stored for s in self.segments if not s.skipped)

    @property
    def rows_quarantined(self) -> int:
        return sum(s.rows_quarantined for s in self.segments if not s.skipped)

    def quarantined_by_device(self) -> dict[str, int]:
        """Quarantined lines per device over the segments ingested now."""
        totals: dict[str, int] = {}
        for seg in self.segments:
            if seg.skipped:
                continue
            for device, count in seg.quarantined_by_device.items():
                totals[device] = totals.get(device, 0) + count
        return totals


def segment_id(path: Path) -> str:
    """The segment's identity: SHA-256 of its bytes (first 32 hex digits)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:32]


def _compression(path: Path) -> str:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"\x1f\x8b":
        return "gzip"
    if magic == b"\x28\xb5\x2f\xfd":
        return "zstd"
    return "none"


def check_complete(path: Path) -> None:
    """Read a gzip or zstd file to its end (every member or frame); ``ValueError`` in
    Japanese when it stops before the end its format marks, or is not what it claims."""
    compression = _compression(path)
    if compression == "none":
        return
    new: Callable[[], Any] = (
        (lambda: zlib.decompressobj(wbits=31))
        if compression == "gzip"
        else zstandard.ZstdDecompressor().decompressobj
    )
    current, fed = new(), False
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                while chunk:
                    if current.eof:
                        current, fed = new(), False
                    current.decompress(chunk)
                    fed = True
                    chunk = current.unused_data if current.eof else b""
    except (zlib.error, zstandard.ZstdError) as error:
        raise ValueError(f"{path.name}: {compression} として読めません（{error}）") from error
    if fed and not current.eof:
        raise ValueError(
            f"{path.name}: 圧縮ファイル（{compression}）が途中で切れています。"
            "コピーや転送が終わってから、もう一度取り込んでください。"
        )


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reader(path: Path, compression: str, *, rejects: bool) -> str:
    """``read_csv`` of one VARCHAR column ``line`` (DuckDB reads and splits in parallel)."""
    keep = (
        "store_rejects = true, rejects_table = 'rejects', rejects_scan = 'rejects_scan'"
        if rejects
        else "ignore_errors = true"
    )
    return f"""read_csv({_sql_text(str(path))}, columns = {{'line': 'VARCHAR'}}, header = false,
          delim = '\x01', quote = '', escape = '', auto_detect = false, strict_mode = true,
          {keep}, compression = '{compression}', max_line_size = 1048576)"""


@dataclass(frozen=True)
class _Job:
    store: Store
    pref: str
    fmt: str
    device: str
    utc_offset: timedelta
    keep_raw: bool
    epoch_sql: str
    severity_map: bool
    layouts: Layouts | None
    max_segment_bytes: int = DEFAULT_MAX_SEGMENT_BYTES
    chunk_lines: int = DEFAULT_CHUNK_LINES


def _slow_sql(fmt: str, source: str) -> str:
    """Every line of ``source`` through its format's SQL (recognised per line for auto)."""
    if fmt != "auto":
        lines = f"(SELECT line, msg, {HOST_SQL} AS host FROM (SELECT line, {MSG_SQL} AS msg FROM {source}))"
        return select_sql(FORMATS[fmt], lines, "TRUE")
    parts = [select_sql(f, "lines", f"fmt = '{name}'") for name, f in FORMATS.items()]
    nulls = ", ".join(f"NULL::{t} AS {n}" for n, t in PARSED_COLUMNS)
    parts.append(
        f"SELECT {nulls}, host, line, 'no parser recognised the line' AS reason "
        "FROM lines WHERE fmt IS NULL"
    )
    return " UNION ALL ".join(parts)


def _parse(con: duckdb.DuckDBPyConnection, job: _Job) -> None:
    """Create ``seg``: the segment's parsed rows (see the module docstring, step 2)."""
    if job.layouts is None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE seg AS {_slow_sql(job.fmt, 'raw_lines')}")
        return
    job.layouts.learn(con, "sample_lines")
    fast = select_sql(
        fortigate_from_values(),
        f"({job.layouts.select_sql('raw_lines')})",
        "TRUE",
        inputs=("line", *(value_column(key) for key in FORTIGATE_KEYS)),
        passthrough=("ok",),
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE seg AS
            SELECT * EXCLUDE (ok, reason), CASE WHEN ok THEN reason ELSE '{_SLOW}' END AS reason
            FROM ({fast})"""
    )
    # The slow rows' text was kept; parse it again by format and replace the placeholders.
    slow = f"(SELECT line FROM seg WHERE reason = '{_SLOW}')"
    if job.fmt == "auto":
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE lines AS
                SELECT line, msg, {HOST_SQL} AS host, {detect_sql()} AS fmt
                FROM (SELECT line, {MSG_SQL} AS msg FROM {slow})"""
        )
    con.execute(f"INSERT INTO seg ({_SEG_COLUMNS}) {_slow_sql(job.fmt, slow)}")
    con.execute(f"DELETE FROM seg WHERE reason = '{_SLOW}'")
    con.execute("DROP TABLE IF EXISTS lines")


def _copy_events(
    con: duckdb.DuckDBPyConnection, job: _Job, attributed: str, staging: Path, segment: str
) -> list[str]:
    """One Parquet file per local day, sorted by municipality and time; the days written."""
    local_day = day_sql(job.utc_offset)
    days = [
        str(d)
        for (d,) in con.execute(
            f"SELECT DISTINCT {local_day} FROM seg WHERE reason IS NULL ORDER BY 1"
        ).fetchall()
    ]
    columns = ", ".join(n for n, _ in CORE_COLUMNS)
    for day in days:
        target = (
            staging
            / "dataset=events"
            / f"pref={job.pref}"
            / f"ym={day[:7]}"
            / f"day={day}"
            / f"seg-{segment}-0.parquet"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"""COPY (SELECT {columns} FROM ({attributed}) WHERE day = DATE '{day}'
                      ORDER BY org_rank, time)
                TO {_sql_text(str(target))} (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2)"""
        )
    return days


def _rollup_sql(job: _Job, attributed: str) -> str:
    return f"""
      SELECT '{job.pref}' AS pref, strftime(day, '%Y-%m') AS ym, day, org_uid,
        {hour_sql()} AS hour, class_uid, metadata_log_name, action_id,
        CASE WHEN class_uid = 4002 THEN coalesce(category_name, app_name, 'unknown')
             ELSE coalesce(app_name, category_name, 'unknown') END AS app_category,
        coalesce(src_endpoint_location_country, dst_endpoint_location_country, 'unknown') AS country,
        severity_id,
        count(*)::BIGINT AS events,
        coalesce(sum(traffic_bytes_in), 0)::BIGINT AS bytes_in,
        coalesce(sum(traffic_bytes_out), 0)::BIGINT AS bytes_out
      FROM ({attributed})
      GROUP BY ALL"""


def _write_quarantine(
    con: duckdb.DuckDBPyConnection, job: _Job, segment: str, staging: Path
) -> dict[str, int]:
    device = _sql_text(job.device) if job.device else "NULL"
    who = f"coalesce({device}, device_name, host)"
    rows = con.execute(
        f"SELECT coalesce({who}, 'unknown') AS device, count(*) "
        "FROM seg WHERE reason IS NOT NULL GROUP BY ALL"
    ).fetchall()
    by_device = {str(device): int(count) for device, count in rows}
    if by_device:
        target = staging / "quarantine" / f"pref={job.pref}" / f"{segment}.jsonl.zst"
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT line, reason, {who} AS device FROM seg WHERE reason IS NOT NULL) "
            f"TO {_sql_text(str(target))} (FORMAT json, COMPRESSION zstd)"
        )
    return by_device


def _archive_raw(path: Path, compression: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if compression == "zstd":
        shutil.copyfile(path, target)
        return
    opener: Callable[..., Any] = open
    if compression == "gzip":
        import gzip

        opener = gzip.open
    with opener(path, "rb") as source, target.open("wb") as sink:
        zstandard.ZstdCompressor(level=3).copy_stream(source, sink)


def _read_segment(con: duckdb.DuckDBPyConnection, job: _Job, path: Path) -> str:
    compression = _compression(path)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW raw_lines AS SELECT line FROM "
        f"{_reader(path, compression, rejects=True)} WHERE line IS NOT NULL"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW sample_lines AS SELECT line FROM "
        f"{_reader(path, compression, rejects=False)} WHERE line IS NOT NULL AND {_FAST_DETECT}"
    )
    _parse(con, job)
    # Lines DuckDB could not even read as text (bad encoding, stray delimiters) join the quarantine.
    con.execute(
        """INSERT INTO seg (line, reason)
           SELECT trim(csv_line, chr(10) || chr(13)), 'unreadable line: ' || error_type FROM rejects"""
    )
    return compression


def _run_segment(
    con: duckdb.DuckDBPyConnection, job: _Job, path: Path, segment: str
) -> SegmentResult:
    started = clock.perf_counter()
    staging = job.store.staging(segment)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    compression = _read_segment(con, job, path)
    stored, quarantined = con.execute(
        "SELECT count(*) FILTER (WHERE reason IS NULL), count(*) FILTER (WHERE reason IS NOT NULL) FROM seg"
    ).fetchone() or (0, 0)
    good = "(SELECT * FROM seg WHERE reason IS NULL)"
    build_ipmap(con, good, job.epoch_sql)
    attributed = attributed_sql(
        good,
        job.epoch_sql,
        device=job.device,
        day=day_sql(job.utc_offset),
        severity_map=job.severity_map,
    )
    days = _copy_events(con, job, attributed, staging, segment)
    con.execute(
        f"COPY ({_rollup_sql(job, attributed)}) TO {_sql_text(str(staging / 'dataset=rollup_hourly'))} "
        f"(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (pref, ym, day), "
        f"FILENAME_PATTERN 'seg-{segment}-{{i}}', OVERWRITE_OR_IGNORE true)"
    )
    by_device = _write_quarantine(con, job, segment, staging)
    if job.keep_raw:
        month = days[0][:7] if days else clock.strftime("%Y-%m")
        _archive_raw(
            path,
            compression,
            staging / "raw" / f"pref={job.pref}" / f"ym={month}" / f"{segment}.log.zst",
        )
    for name in ("seg", "ipmap", "rejects", "rejects_scan"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return SegmentResult(
        path=str(path),
        segment=segment,
        rows_read=int(stored) + int(quarantined),
        rows_stored=int(stored),
        rows_quarantined=int(quarantined),
        quarantined_by_device=by_device,
        seconds=clock.perf_counter() - started,
    )


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    job: _Job,
    path: Path,
    result: IngestResult,
    *,
    verify: bool = False,
) -> int:
    """Ingest one segment unless its checkpoint says it is in; the rows it read. With
    ``verify``, a new segment is read to its end first (:func:`check_complete`)."""
    seg = segment_id(path)
    done = job.store.checkpoint(seg)
    if done is not None:
        result.segments.append(SegmentResult(**{**done, "path": str(path), "skipped": True}))
        return 0
    if verify:
        check_complete(path)
    job.store.undo_partial_publish(seg)
    outcome = _run_segment(con, job, path, seg)
    job.store.publish(seg)
    record = {k: v for k, v in outcome.__dict__.items() if k not in {"skipped"}}
    job.store.mark_done(seg, record)
    job.store.finish_publish(seg)
    shutil.rmtree(job.store.staging(seg), ignore_errors=True)
    result.segments.append(outcome)
    return outcome.rows_read


@dataclass(frozen=True)
class _Setup:
    """What every worker of one ingest call shares; :meth:`job` prepares a connection."""

    store: Store
    pref: str
    fmt: str
    device: str
    utc_offset: timedelta
    keep_raw: bool
    ranges: Sequence[AddressRange]
    countries: Sequence[CountryRange]
    severity_maps: Mapping[str, Mapping[str, int]]
    max_segment_bytes: int
    chunk_lines: int

    def job(self, con: duckdb.DuckDBPyConnection) -> _Job:
        """The lookup tables loaded into ``con`` and the worker's own learnt layouts."""
        epoch_sql = load_references(
            con, self.ranges, self.countries, self.severity_maps, self.utc_offset
        )
        layouts = (
            Layouts(keys=FORTIGATE_KEYS, detect=_FAST_DETECT, column=value_column)
            if self.fmt in {"auto", "fortigate"}
            else None
        )
        return _Job(
            self.store,
            self.pref,
            self.fmt,
            self.device,
            self.utc_offset,
            self.keep_raw,
            epoch_sql,
            any(self.severity_maps.values()),
            layouts,
            self.max_segment_bytes,
            self.chunk_lines,
        )


@dataclass(frozen=True)
class _Piece:
    """One segment to ingest: a whole file, or a chunk cut from a large one."""

    index: int  # the file's position in the call
    number: int  # the chunk's number within its file (0 for a whole file)
    path: Path
    chunk: bool  # removed once ingested


class _Work:
    """The pieces still to ingest, shared by the workers of one call; reports progress."""

    def __init__(
        self,
        files: list[Path],
        sizes: list[int],
        callback: Callable[[IngestProgress], None] | None,
    ) -> None:
        self.todo = deque(_Piece(i, 0, p, False) for i, p in enumerate(files))
        self.sizes = sizes
        self.callback = callback
        self.pending = [1] * len(files)
        self.results: dict[tuple[int, int], list[SegmentResult]] = {}
        self.cutting = 0
        self.failed = False
        self.files_done = self.bytes_done = self.rows_done = 0
        self.cond = threading.Condition()
        # Progress goes to the caller's thread: its callback may write to a database whose
        # connections belong to that thread (Django's do), never to a worker's.
        self.caller = threading.get_ident()
        self.events: queue.SimpleQueue[IngestProgress] = queue.SimpleQueue()

    def relay(self) -> None:
        """Report, on the caller's thread, the progress the workers queued."""
        while self.callback is not None and not self.events.empty():
            self.callback(self.events.get())

    def take(self) -> _Piece | None:
        """The next piece; waits while another worker is still cutting a file."""
        with self.cond:
            while not self.todo and self.cutting and not self.failed:
                self.cond.wait()
            return None if self.failed or not self.todo else self.todo.popleft()

    def cut(self, piece: _Piece, job: _Job) -> None:
        """Cut a large file into chunks (:mod:`chunks`) and queue them first."""
        with self.cond:
            self.cutting += 1
        chunks: list[Path] = []
        try:
            workdir = job.store.root / "_state" / "chunks"
            chunks = cut_into_chunks(
                piece.path,
                _compression(piece.path),
                workdir,
                segment_id(piece.path),
                lines=job.chunk_lines,
            )
        finally:
            with self.cond:
                self.cutting -= 1
                self.todo.extendleft(
                    _Piece(piece.index, n, c, True) for n, c in reversed(list(enumerate(chunks)))
                )
                self.pending[piece.index] = len(chunks)
                if not chunks:
                    self._file_done(piece.index)
                self.cond.notify_all()

    def finish(self, piece: _Piece, segments: list[SegmentResult], rows: int) -> None:
        """Record a piece's segments; report progress when its file is complete."""
        with self.cond:
            self.results[(piece.index, piece.number)] = segments
            self.rows_done += rows
            self.pending[piece.index] -= 1
            if self.pending[piece.index] == 0:
                self._file_done(piece.index)

    def fail(self) -> None:
        """A worker failed: the others stop taking pieces."""
        with self.cond:
            self.failed = True
            self.cond.notify_all()

    def _file_done(self, index: int) -> None:
        self.files_done += 1
        self.bytes_done += self.sizes[index]
        if self.callback is None:
            return
        total = sum(self.sizes)
        estimate = self.rows_done * total // self.bytes_done if self.bytes_done else 0
        self.events.put(
            IngestProgress(
                self.files_done, len(self.sizes), self.bytes_done, total, self.rows_done, estimate
            )
        )
        if threading.get_ident() == self.caller:
            self.relay()


def _maps_by_device(
    device: str,
    severity_map: Mapping[str, int] | None,
    severity_maps: Mapping[str, Mapping[str, int]] | None,
) -> dict[str, Mapping[str, int]]:
    """One map per device name ("" for every row): the caller's map is its device's."""
    maps = dict(severity_maps or {})
    if severity_map:
        maps[device] = severity_map
    return maps


def ingest(
    paths: Sequence[Path],
    *,
    store: Path,
    prefecture: str,
    ranges: Sequence[AddressRange],
    fmt: str = "auto",
    device: str = "",
    severity_map: Mapping[str, int] | None = None,
    severity_maps: Mapping[str, Mapping[str, int]] | None = None,
    countries: Sequence[CountryRange] = (),
    config: EngineConfig | None = None,
    progress: Callable[[IngestProgress], None] | None = None,
    utc_offset: timedelta = JST,
    keep_raw: bool = True,
    max_segment_bytes: int = DEFAULT_MAX_SEGMENT_BYTES,
    chunk_lines: int = DEFAULT_CHUNK_LINES,
    verify: bool = False,
) -> IngestResult:
    """Ingest log files (plain, gzip or zstd) into ``store`` for one prefecture.

    ``fmt`` is ``auto`` or a name in :data:`formats.FORMATS`; ``device`` is the caller's
    device id, stored with each row. ``severity_map`` (the appliance's severity word or
    verdict, lower-cased → OCSF severity_id) applies to ``device``'s rows, or to every row
    without ``device``; ``severity_maps`` gives one per device name as the lines carry it
    (a syslog segment mixes appliances); a row's own device's map comes before the one for
    every row. Times without a zone are read at
    ``utc_offset``. A segment whose checkpoint exists is skipped; one interrupted while
    publishing is cleaned and redone. ``progress`` is called after every file. A file
    larger than ``max_segment_bytes`` (as stored) is cut into segments of ``chunk_lines``
    lines first (:mod:`chunks`), so memory stays flat whatever the file's size.

    With ``verify``, a compressed file is first read to its end (:func:`check_complete`):
    DuckDB's readers store a truncated gzip or zstd file up to where it stops, without an
    error. Files from operators (a copy, an upload) need it; the receiver's own segments
    do not (one decompression pass: 0.24 CPU-s for a million-line zstd segment, 4–5 % of
    its ingest).

    With ``config.threads`` of N and several files, up to N files are ingested side by side,
    each on its own one-thread connection with its share of the memory cap; the chunks of
    a large file are spread over them too.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"形式 {fmt!r} は扱えません（auto, {', '.join(FORMATS)}）")
    files = [Path(p) for p in paths]
    sizes = [p.stat().st_size for p in files]
    cfg = config or EngineConfig()
    setup = _Setup(
        Store(store),
        normalise_prefecture(prefecture),
        fmt,
        device,
        utc_offset,
        keep_raw,
        ranges,
        countries,
        _maps_by_device(device, severity_map, severity_maps),
        max_segment_bytes,
        chunk_lines,
    )
    # Reading a compressed segment is one sequential stream, so a segment's pipeline is
    # mostly single-threaded: a second DuckDB thread inside a segment costs 7–12 % more CPU
    # for ≈ 8 % less wall time. So each segment runs on one thread, and up to
    # ``config.threads`` segments (files, or the chunks of a large file) run side by side,
    # sharing the memory cap (bench/README.md).
    pieces = sum(1 if size <= max_segment_bytes else cfg.threads for size in sizes)
    workers = max(1, min(cfg.threads, pieces))
    worker_config = EngineConfig(
        memory_limit=share_memory(cfg.memory_limit, workers),
        threads=1,
        temp_directory=cfg.temp_directory,
    )
    work = _Work(files, sizes, progress)

    def run() -> None:
        con = connect(worker_config)
        try:
            job = setup.job(con)
            while (piece := work.take()) is not None:
                if not piece.chunk and piece.path.stat().st_size > job.max_segment_bytes:
                    if verify:
                        check_complete(piece.path)
                    work.cut(piece, job)
                    continue
                one = IngestResult()
                rows = _ingest_one(con, job, piece.path, one, verify=verify and not piece.chunk)
                if piece.chunk:
                    piece.path.unlink()
                work.finish(piece, one.segments, rows)
        except BaseException:
            work.fail()
            raise
        finally:
            con.close()

    if workers == 1:
        run()
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running = {pool.submit(run) for _ in range(workers)}
            while running:
                done, running = wait(running, timeout=0.2)
                work.relay()
                for future in done:
                    future.result()  # a worker's error, raised here
    return IngestResult([seg for key in sorted(work.results) for seg in work.results[key]])
