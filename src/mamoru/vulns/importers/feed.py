"""Where a feed comes from: a file, a directory, a (nested) zip or a gzip file, or a URL
downloaded first to a temporary file. Importers see only named entries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import tempfile
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

MAX_DOWNLOAD_BYTES = 4 * 1024**3  # the full CVE list zipped is ~0.5 GB; refuse runaway bodies


class FeedError(ValueError):
    """A feed that cannot be imported. The message names the entry and the record."""

    def __init__(self, where: str, message: str, record: str | None = None) -> None:
        self.where = where
        self.record = record
        location = f"{where} ({record})" if record else where
        super().__init__(f"{location}: {message}")


class _GzipStream(gzip.GzipFile):
    """A gzip reader that also closes the stream it decompresses."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of a feed. ``open`` returns a binary stream, decompressing ``.gz``."""

    name: str
    _opener: Any
    direct: bool = False  # the file was named by the operator, not found in a folder or zip

    def open(self) -> IO[bytes]:
        stream: IO[bytes] = self._opener()
        if self.name.endswith(".gz"):
            return cast(IO[bytes], _GzipStream(stream))
        return stream

    def read(self) -> bytes:
        with self.open() as stream:
            return stream.read()

    @property
    def plain_name(self) -> str:
        return self.name[:-3] if self.name.endswith(".gz") else self.name

    def wanted(self, *suffixes: str) -> bool:
        """Whether an importer should read this entry: a file named directly (a download
        has no reliable name) or, inside a folder or zip, one with a feed's suffix."""
        return self.direct or self.plain_name.endswith(suffixes)


def _zip_entries(archive: zipfile.ZipFile, prefix: str) -> Iterator[Entry]:
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = f"{prefix}{info.filename}"
        if info.filename.endswith(".zip"):
            # Release assets of the CVE list are a zip holding cves.zip.
            with archive.open(info) as inner_stream:
                inner = zipfile.ZipFile(io.BytesIO(inner_stream.read()))
            yield from _zip_entries(inner, name + "!/")
        else:
            yield Entry(name, lambda info=info: archive.open(info))


def entries(path: Path, *, direct: bool = True) -> Iterator[Entry]:
    """Every file under ``path`` (a file, a directory, or a zip), in a stable order."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from entries(child, direct=False)
        return
    if not path.exists():
        raise FeedError(str(path), "no such file or directory")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            yield from _zip_entries(archive, f"{path}!/")
        return
    yield Entry(str(path), lambda: path.open("rb"), direct)


@contextlib.contextmanager
def downloaded(url: str, *, timeout: float = 60.0) -> Iterator[Path]:
    """Download ``url`` to a temporary file (only http and https) and remove it afterwards."""
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(url, "only http:// and https:// URLs can be downloaded")
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "feed"
    with tempfile.TemporaryDirectory(prefix="mamoru-feed-") as tmp:
        target = Path(tmp) / name
        request = urllib.request.Request(url, headers={"User-Agent": "mamoru-vulns"})  # noqa: S310
        try:
            with (
                urllib.request.urlopen(request, timeout=timeout) as response,  # noqa: S310
                target.open("wb") as out,
            ):
                copied = _copy_limited(response, out)
        except OSError as error:
            raise FeedError(url, f"download failed: {error}") from error
        if copied == 0:
            raise FeedError(url, "the server sent an empty body")
        yield target


def _copy_limited(source: IO[bytes], target: IO[bytes]) -> int:
    copied = 0
    while chunk := source.read(1 << 20):
        copied += len(chunk)
        if copied > MAX_DOWNLOAD_BYTES:
            raise FeedError("download", f"larger than {MAX_DOWNLOAD_BYTES} bytes")
        target.write(chunk)
    return copied


def parse_datetime(value: object, where: str, record: str | None = None) -> dt.datetime | None:
    """An ISO 8601 timestamp from a feed, as an aware datetime (UTC when none is given)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise FeedError(where, f"bad timestamp {value!r}", record) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_date(value: object, where: str, record: str | None = None) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise FeedError(where, f"bad date {value!r}", record) from None


__all__ = ["Entry", "FeedError", "downloaded", "entries", "parse_date", "parse_datetime"]
