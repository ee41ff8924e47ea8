"""Ingest behaviour: attribution by dated ranges, quarantine, idempotence, crash safety, offline."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
import zstandard

from mamoru.seccloud.engine.db import BUILTIN_EXTENSIONS, EngineConfig, connect, share_memory
from mamoru.seccloud.engine.ingest import IngestProgress, ingest
from mamoru.seccloud.engine.ranges import AddressRange, read_ranges_csv
from mamoru.seccloud.engine.report import monthly_report
from mamoru.seccloud.engine.testing import RANGES, Ingest, events, write_lines
from mamoru.seccloud.engine.tests import samples as s


def fortigate(day: int, srcip: str, action: str = "close") -> str:
    return (
        f'date=2026-10-{day:02d} time=12:00:00 devname="FGT" logid="0000000013" type="traffic" '
        f'subtype="forward" srcip={srcip} srcport=1000 dstip=198.51.100.1 dstport=443 proto=6 '
        f'action="{action}" service="HTTPS" sentbyte=10 rcvdbyte=20 tz="+0900"'
    )


def test_attribution_respects_validity_dates_and_the_most_specific_range(
    ingest_lines: Ingest, tmp_path: Path
) -> None:
    ranges = [
        AddressRange("130001", "10.9.0.0/16"),  # the prefecture's block
        AddressRange("131016", "10.9.1.0/24", valid_to=date(2026, 10, 9)),
        AddressRange("131024", "10.9.1.0/24", valid_from=date(2026, 10, 10)),
    ]
    ingest_lines(
        [
            fortigate(9, "10.9.1.5"),
            fortigate(10, "10.9.1.5"),
            fortigate(10, "10.9.2.5"),
            fortigate(10, "172.16.0.1"),
        ],
        ranges=ranges,
    )
    got = [(str(r["day"]), r["org_uid"]) for r in events(tmp_path / "store")]
    assert sorted(got, key=str) == sorted(
        [
            ("2026-10-09", "131016"),
            ("2026-10-10", "131024"),
            ("2026-10-10", "130001"),
            ("2026-10-10", None),
        ],
        key=str,
    )


def test_unreadable_lines_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    path = tmp_path / "mixed.log"
    path.write_bytes(
        (s.FORTIGATE_TRAFFIC + "\n").encode()
        + b"bad \xff\xfe bytes\n"
        + b"x\x01y\n"
        + (s.GARBAGE + "\n").encode()
    )
    result = ingest(
        [path], store=tmp_path / "store", prefecture="13", ranges=RANGES, device="dev-7"
    )
    assert (result.rows_stored, result.rows_quarantined) == (1, 3)
    assert result.quarantined_by_device() == {"dev-7": 3}
    quarantine = list((tmp_path / "store" / "quarantine").rglob("*.jsonl.zst"))
    lines = zstandard.ZstdDecompressor().decompress(
        quarantine[0].read_bytes(), max_output_size=1 << 20
    )
    reasons = sorted(json.loads(line)["reason"] for line in lines.decode().splitlines())
    assert reasons == [
        "no parser recognised the line",
        "unreadable line: INVALID ENCODING",
        "unreadable line: TOO MANY COLUMNS",
    ]


def test_the_same_segment_twice_adds_nothing(ingest_lines: Ingest, tmp_path: Path) -> None:
    lines = [fortigate(5, "10.1.0.1"), fortigate(5, "10.2.0.1", "deny")]
    first = ingest_lines(lines)
    second = ingest_lines(lines)  # same bytes, another file name: the same segment
    assert not first.segments[0].skipped
    assert second.segments[0].skipped
    assert len(events(tmp_path / "store")) == 2


def test_gzip_and_zstd_inputs_and_the_raw_archive(tmp_path: Path) -> None:
    text = (s.FORTIGATE_TRAFFIC + "\n").encode()
    gz = tmp_path / "a.log.1.gz"
    gz.write_bytes(gzip.compress(text))
    zst = tmp_path / "b.log.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(text + (s.FORTIGATE_DENY + "\n").encode()))
    result = ingest([gz, zst], store=tmp_path / "store", prefecture="13", ranges=RANGES)
    assert result.rows_stored == 3
    archives = sorted((tmp_path / "store" / "raw").rglob("*.log.zst"))
    assert len(archives) == 2
    restored = {
        zstandard.ZstdDecompressor().decompress(a.read_bytes(), max_output_size=1 << 20)
        for a in archives
    }
    assert text in restored


def test_progress_reports_bytes_and_rows(ingest_lines: Ingest) -> None:
    seen: list[IngestProgress] = []
    ingest_lines([fortigate(5, "10.1.0.1")] * 3, progress=seen.append)
    assert seen[-1].rows_done == 3
    assert seen[-1].bytes_done == seen[-1].bytes_total > 0


def test_a_severity_map_overrides_the_appliance_default(
    ingest_lines: Ingest, tmp_path: Path
) -> None:
    ingest_lines([s.FORTIGATE_IPS], device="fgt-1", severity_map={"critical": 3})
    (row,) = events(tmp_path / "store")
    assert (row["severity_id"], row["device_uid"]) == (3, "fgt-1")


def test_a_mixed_syslog_segment_takes_each_devices_own_map(
    ingest_lines: Ingest, tmp_path: Path
) -> None:
    other = s.FORTIGATE_IPS.replace("FGT-PREF-01", "FGT-BRANCH").replace("10:01:00", "10:02:00")
    third = s.FORTIGATE_IPS.replace("FGT-PREF-01", "FGT-LAB").replace("10:01:00", "10:03:00")
    maps = {"FGT-PREF-01": {"critical": 3}, "FGT-BRANCH": {"Critical": 2, "critical ": 2}}
    ingest_lines([s.FORTIGATE_IPS, other, third], severity_maps=maps)
    assert len(events(tmp_path / "store")) == 3  # one spelling twice repeats no event
    rows = sorted(events(tmp_path / "store"), key=lambda r: str(r["time"]))
    default = rows[2]["severity_id"]  # FGT-LAB has no map: the appliance's own level
    assert [(r["device_name"], r["severity_id"]) for r in rows] == [
        ("FGT-PREF-01", 3),
        ("FGT-BRANCH", 2),
        ("FGT-LAB", default),
    ]
    assert default not in (2, 3)
    ingest_lines([third.replace("10:03:00", "10:04:00")], severity_maps={"": {"critical": 1}})
    last = max(events(tmp_path / "store"), key=lambda r: str(r["time"]))
    assert (last["device_name"], last["severity_id"]) == ("FGT-LAB", 1)


def test_no_extension_is_installed_or_loaded(tmp_path: Path) -> None:
    con = connect(EngineConfig(temp_directory=tmp_path))
    with pytest.raises(Exception, match="inet"):
        con.execute("SELECT '10.0.0.1'::INET")
    loaded = {
        r[0]
        for r in con.execute(
            "SELECT extension_name FROM duckdb_extensions() WHERE loaded"
        ).fetchall()
    }
    assert loaded <= BUILTIN_EXTENSIONS
    assert not any((tmp_path / "no-extensions").rglob("*.duckdb_extension"))


def test_the_engine_runs_without_django(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.log", [s.FORTIGATE_TRAFFIC])
    code = (
        "import sys; from pathlib import Path; from mamoru.seccloud.engine import ingest, AddressRange;"
        f"r = ingest([Path({str(tmp_path / 'in.log')!r})], store=Path({str(tmp_path / 'st')!r}),"
        " prefecture='13', ranges=[AddressRange('131016', '10.1.0.0/16')]);"
        "assert 'django' not in sys.modules, 'django imported'; print(r.rows_stored)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


_KILL_SCRIPT = """
import sys
from pathlib import Path
from mamoru.seccloud.engine import ingest, AddressRange
import mamoru.seccloud.engine.store as store

if sys.argv[3] == "stall":
    # Stop inside the publish, after the journal and the first file are in place.
    original = store.os.replace
    calls = {"n": 0}
    def slow_replace(src, dst):
        original(src, dst)
        if "/_state/" not in str(dst):
            calls["n"] += 1
            if calls["n"] == 2:
                print("STALLED", flush=True)
                import time; time.sleep(60)
    store.os.replace = slow_replace
paths = sorted(Path(sys.argv[1]).glob("*.log"))
result = ingest(paths, store=Path(sys.argv[2]), prefecture="13",
                ranges=[AddressRange("131016", "10.1.0.0/16"), AddressRange("131024", "10.2.0.0/16")])
print("DONE", result.rows_stored, flush=True)
"""


def test_sigkill_mid_batch_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = 0
    for n in range(3):
        lines = [
            fortigate(1 + (i % 20), f"10.{1 + i % 2}.0.{i % 250}") for i in range(n * 7, n * 7 + 40)
        ]
        write_lines(inputs / f"seg{n}.log", lines)
        expected += len(lines)
    script = tmp_path / "run.py"
    script.write_text(_KILL_SCRIPT)
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(inputs), str(store), "stall"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "STALLED" not in line:
        line = proc.stdout.readline()
    assert "STALLED" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert list((store / "_state" / "publishing").glob("*.json")), (
        "the kill should land mid-publish"
    )
    again = subprocess.run(
        [sys.executable, str(script), str(inputs), str(store), "run"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    rows = events(store)
    assert len(rows) == expected
    assert not list((store / "_state" / "publishing").glob("*.json"))


def test_monthly_report_figures(tmp_path: Path) -> None:
    lines = [v for k, v in vars(s).items() if k.isupper() and k != "GARBAGE"]
    path = write_lines(tmp_path / "all.log", lines)
    ingest([path], store=tmp_path / "store", prefecture="13", ranges=RANGES)
    report = monthly_report(store=tmp_path / "store", prefecture="13", month="2026-10")
    assert report.firewall_sessions_blocked == 2  # FortiGate deny and FortiGate in CEF mode
    assert report.firewall_sessions_allowed == 2
    assert report.ips_detections_by_severity["critical"] == 1
    assert report.malware_removed_from_mail == 2  # FortiGate SMTP virus + m-FILTER deletion
    assert report.spam == 2
    assert report.suspicious_files == 2
    assert report.url_blocks_by_category["Malicious Websites"] == 1
    assert report.trend[-1]["month"] == "2026-10"
    assert report.trend[0]["spam"] == 0
    only = monthly_report(
        store=tmp_path / "store", prefecture="13", month="2026-10", organisation="131024"
    )
    assert only.spam == 2
    assert only.firewall_sessions_allowed == 0


def test_ranges_csv_errors_are_in_japanese(tmp_path: Path) -> None:
    good = tmp_path / "r.csv"
    good.write_text(
        "organisation,cidr,valid_from,valid_to\n131016,10.1.0.0/16,,2026-12-31\n", encoding="utf-8"
    )
    assert read_ranges_csv(good) == [
        AddressRange("131016", "10.1.0.0/16", None, date(2026, 12, 31))
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "organisation,cidr,valid_from,valid_to\n131016,10.1.0.1/16,,\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="2行目: CIDR"):
        read_ranges_csv(bad)


def test_events_are_stored_per_day_sorted_by_municipality_then_time(
    ingest_lines: Ingest, tmp_path: Path
) -> None:
    lines = [
        fortigate(6, f"10.{1 + i % 2}.0.{i}").replace("12:00:00", f"12:00:{59 - i:02d}")
        for i in range(20)
    ]
    ingest_lines(lines)
    (day,) = (tmp_path / "store" / "dataset=events" / "pref=13" / "ym=2026-10").iterdir()
    (parquet,) = day.glob("*.parquet")
    con = duckdb.connect(config={"threads": 1})
    con.execute("SET TimeZone = 'UTC'")
    order = con.execute(f"SELECT org_uid, time FROM read_parquet('{parquet}')").fetchall()
    assert day.name == "day=2026-10-06"
    assert order == sorted(order)
    assert [org for org, _ in order] == ["131016"] * 10 + ["131024"] * 10


def test_a_key_inside_a_quoted_value_is_not_taken_for_the_real_one(
    ingest_lines: Ingest, tmp_path: Path
) -> None:
    forged = fortigate(7, "10.1.0.9").replace(
        'subtype="forward"', 'subtype="forward" msg="probe srcip=10.2.0.66 dstport=1"'
    )
    ingest_lines([forged, fortigate(7, "10.2.0.5")])
    rows = {r["org_uid"]: r for r in events(tmp_path / "store")}
    assert rows["131016"]["src_endpoint_ip"] == (10 << 24) + (1 << 16) + 9
    assert rows["131016"]["dst_endpoint_port"] == 443
    assert rows["131024"]["src_endpoint_ip"] == (10 << 24) + (2 << 16) + 5


def test_a_large_file_is_cut_into_segments_and_still_idempotent(tmp_path: Path) -> None:
    lines = [fortigate(1 + i % 9, f"10.{1 + i % 2}.0.{i % 250}") for i in range(50)]
    path = tmp_path / "big.log.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(lines) + "\n").encode()))
    options = {"prefecture": "13", "ranges": RANGES, "max_segment_bytes": 100, "chunk_lines": 8}
    first = ingest([path], store=tmp_path / "store", **options)  # type: ignore[arg-type]
    assert len(first.segments) == 7  # 50 lines in chunks of 8
    assert first.rows_stored == 50
    again = ingest([path], store=tmp_path / "store", **options)  # type: ignore[arg-type]
    assert all(s.skipped for s in again.segments)
    assert len(events(tmp_path / "store")) == 50
    assert not list((tmp_path / "store" / "_state" / "chunks").iterdir())


def test_segments_side_by_side_store_what_one_at_a_time_stores(tmp_path: Path) -> None:
    files = [
        write_lines(tmp_path / f"fw-{n}.log", [fortigate(day, f"10.{1 + n % 2}.0.{n}")] * 3)
        for n, day in enumerate((3, 4, 4, 5))
    ]
    files.append(write_lines(tmp_path / "junk.log", [s.GARBAGE]))
    # A large file: its chunks are shared among the workers too.
    files.append(write_lines(tmp_path / "big.log", [fortigate(6, f"10.1.1.{n}") for n in range(7)]))
    seen: list[IngestProgress] = []
    threads: set[int] = set()

    def progress(step: IngestProgress) -> None:
        seen.append(step)
        threads.add(threading.get_ident())

    together = ingest(
        files,
        store=tmp_path / "together",
        prefecture="13",
        ranges=RANGES,
        config=EngineConfig(threads=2, temp_directory=tmp_path / "spill"),
        progress=progress,
        max_segment_bytes=1000,
        chunk_lines=2,
    )
    apart = [
        ingest(
            [f],
            store=tmp_path / "apart",
            prefecture="13",
            ranges=RANGES,
            config=EngineConfig(threads=1),
            max_segment_bytes=1000,
            chunk_lines=2,
        )
        for f in files
    ]
    assert [seg.path for seg in together.segments][:5] == [str(f) for f in files[:5]]
    assert len(together.segments) == 9  # the large file in four chunks, in their order
    # progress is reported on the caller's thread (a Django callback writes with its own
    # connection there), never on a worker's
    assert threads == {threading.get_ident()}
    assert [seg.segment for seg in together.segments] == [
        seg.segment for one in apart for seg in one.segments
    ]
    assert (together.rows_stored, together.rows_quarantined) == (19, 1)
    assert [p.segments_done for p in seen] == [1, 2, 3, 4, 5, 6]
    assert seen[-1].rows_done == 20
    assert sum(r.rows_stored for r in apart) == 19
    assert not list((tmp_path / "together" / "_state" / "chunks").glob("*"))

    def rows(store: str) -> list[tuple[object, ...]]:
        return sorted(tuple(map(str, r.values())) for r in events(tmp_path / store))

    assert rows("together") == rows("apart")


def test_the_memory_cap_is_shared_among_side_by_side_connections() -> None:
    assert share_memory("4GB", 2) == "2000000000B"
    assert share_memory("2GiB", 4) == f"{2**29}B"
    assert share_memory("4GB", 1) == "4GB"
    assert share_memory("80%", 2) == "80%"  # a form it does not know is left to DuckDB


def test_a_truncated_compressed_file_is_refused_whole_when_verified(tmp_path: Path) -> None:
    """DuckDB's readers store a cut gzip or zstd file up to where it stops, silently: with
    ``verify`` the file is refused and nothing of it is stored. Several gzip members or
    zstd frames (concatenated rotations) are whole."""
    text = ("\n".join([s.FORTIGATE_TRAFFIC] * 2000) + "\n").encode()
    whole_gz = gzip.compress(text)
    whole_zst = zstandard.ZstdCompressor().compress(text)
    cases = {
        "cut.log.1.gz": whole_gz[: len(whole_gz) // 2],
        "cut.log.zst": whole_zst[: len(whole_zst) // 2],
        "two-members.log.gz": whole_gz + gzip.compress(text),
        "two-frames.log.zst": whole_zst + zstandard.ZstdCompressor().compress(text),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    for name in ("cut.log.1.gz", "cut.log.zst"):
        with pytest.raises(ValueError, match="途中で切れています"):
            ingest([tmp_path / name], store=tmp_path / name.replace(".", "-"), prefecture="13",
                   ranges=RANGES, verify=True)  # fmt: skip
        assert not list((tmp_path / name.replace(".", "-")).rglob("*.parquet"))
    for name in ("two-members.log.gz", "two-frames.log.zst"):
        result = ingest([tmp_path / name], store=tmp_path / "whole", prefecture="13",
                        ranges=RANGES, verify=True)  # fmt: skip
        assert result.rows_read == 4000
    (tmp_path / "liar.gz").write_bytes(b"\x1f\x8b" + b"not gzip at all" * 20)
    with pytest.raises(ValueError, match="gzip として読めません"):
        ingest([tmp_path / "liar.gz"], store=tmp_path / "liar", prefecture="13", ranges=RANGES,
               verify=True)  # fmt: skip
