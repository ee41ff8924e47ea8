"""Large input files cut into segments, so that memory stays flat whatever a file's size.

A segment is processed whole in one DuckDB connection (parsed, materialised, sorted), so
its size bounds the memory. Closed syslog segments are small by construction; a file
dropped into the folder may not be. Such a file is cut at line boundaries into chunks of at
most ``lines`` lines — read in blocks of a megabyte, cut at line feeds (no
Python per line) — written as zstd next to the store's state. A chunk is an ordinary
segment: its id is the hash of its bytes and the cut is deterministic, so a re-run after a
crash cuts the same chunks and skips those already in.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import zstandard

__all__ = ["DEFAULT_CHUNK_LINES", "DEFAULT_MAX_SEGMENT_BYTES", "cut_into_chunks"]

DEFAULT_MAX_SEGMENT_BYTES = 64 * 1024 * 1024  # compressed: ≈ 1.6 M FortiGate lines in zstd
DEFAULT_CHUNK_LINES = 1_000_000
_BLOCK = 1 << 20


def _open(path: Path, compression: str) -> IO[bytes]:
    if compression == "zstd":
        return zstandard.ZstdDecompressor().stream_reader(
            path.open("rb"), read_across_frames=True, closefd=True
        )
    if compression == "gzip":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    """Blocks that end with a line feed (the last one may not)."""
    rest = b""
    while block := handle.read(_BLOCK):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest + b"\n"


def cut_into_chunks(
    path: Path, compression: str, workdir: Path, segment: str, *, lines: int
) -> list[Path]:
    """Cut ``path`` into zstd chunks of ``lines`` lines (the last one fewer) in ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    chunks: list[Path] = []
    buffer: list[bytes] = []
    count = 0

    def flush() -> None:
        nonlocal count
        if not buffer:
            return
        target = workdir / f"{segment}-{len(chunks):05d}.log.zst"
        target.write_bytes(zstandard.ZstdCompressor(level=1).compress(b"".join(buffer)))
        chunks.append(target)
        buffer.clear()
        count = 0

    with _open(path, compression) as handle:
        for whole in _blocks(handle):
            block = whole
            while block:
                need = lines - count
                found = block.count(b"\n")
                if found < need:
                    buffer.append(block)
                    count += found
                    break
                # Cut after the need-th line feed (at most a block's lines, once a chunk).
                cut = -1
                for _ in range(need):
                    cut = block.find(b"\n", cut + 1)
                buffer.append(block[: cut + 1])
                count += need
                flush()
                block = block[cut + 1 :]
    flush()
    return chunks
