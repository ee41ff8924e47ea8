"""Import benchmark: the full CISA KEV snapshot, then a synthetic CVE JSON 5 list of
250,000 records in the cvelistV5 layout. Prints records/second and peak RSS.

    .venv/bin/python bench/vulns_import.py [--records 250000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path

from _vulns_setup import fresh_database, kev_snapshot, peak_rss_mib

VENDORS = [
    ("Fortinet", "FortiOS"),
    ("OpenBSD", "OpenSSH"),
    ("Apache", "HTTP Server"),
    ("Citrix", "NetScaler ADC"),
    ("Ivanti", "Connect Secure"),
    ("nginx", "nginx"),
]


def synthetic_record(number: int, rng: random.Random, vendors: int = 5000) -> dict[str, object]:
    year = 2000 + number % 26
    cve = f"CVE-{year}-{100000 + number}"
    products = [(f"vendor{rng.randrange(vendors)}", f"product{rng.randrange(20)}")]
    if number % 50 == 0:
        products.append(rng.choice(VENDORS))
    affected = [
        {
            "vendor": vendor,
            "product": product,
            "defaultStatus": "unaffected",
            "versions": [
                {
                    "version": f"{major}.0",
                    "lessThan": f"{major}.{rng.randrange(1, 9)}.{rng.randrange(20)}",
                    "status": "affected",
                    "versionType": "semver",
                }
                for major in range(1, rng.randrange(2, 4))
            ],
        }
        for vendor, product in products
    ]
    return {
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
        "cveMetadata": {
            "cveId": cve,
            "state": "PUBLISHED",
            "assignerShortName": "bench",
            "datePublished": f"{year}-01-01T00:00:00Z",
            "dateUpdated": f"{year}-06-01T00:00:00Z",
        },
        "containers": {
            "cna": {
                "title": f"Synthetic vulnerability {number}",
                "descriptions": [
                    {"lang": "en", "value": "A synthetic record for benchmarking. " * 4}
                ],
                "affected": affected,
                "metrics": [
                    {
                        "cvssV3_1": {
                            "baseScore": round(rng.uniform(1, 10), 1),
                            "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                            "version": "3.1",
                            "baseSeverity": "HIGH",
                        }
                    }
                ],
                "providerMetadata": {"orgId": "00000000-0000-4000-8000-000000000000"},
            }
        },
    }


def generate(root: Path, count: int, vendors: int = 5000) -> None:
    rng = random.Random(3)
    for number in range(count):
        record = synthetic_record(number, rng, vendors)
        cve = str(record["cveMetadata"]["cveId"])  # type: ignore[index]
        year, seq = cve.split("-")[1], int(cve.split("-")[2])
        folder = root / "cves" / year / f"{seq // 1000}xxx"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{cve}.json").write_text(json.dumps(record), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=250_000)
    args = parser.parse_args()
    workdir = fresh_database()
    from mamoru.vulns.services import feed_import

    started = time.perf_counter()
    log = feed_import(source="kev", path=kev_snapshot())
    elapsed = time.perf_counter() - started
    print(
        f"KEV: {log.counts['records']} entries in {elapsed:.2f} s "
        f"({log.counts['records'] / elapsed:,.0f} records/s)"
    )

    started = time.perf_counter()
    generate(workdir / "cvelist", args.records)
    print(f"generated {args.records:,} CVE JSON 5 files in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    log = feed_import(source="cve5", path=workdir / "cvelist")
    elapsed = time.perf_counter() - started
    print(
        f"CVE JSON 5: {log.counts['records']:,} records in {elapsed:.1f} s "
        f"({log.counts['records'] / elapsed:,.0f} records/s), counts {log.counts}"
    )
    started = time.perf_counter()
    log = feed_import(source="cve5", path=workdir / "cvelist")
    elapsed = time.perf_counter() - started
    print(
        f"CVE JSON 5 re-import (incremental, nothing changed): {elapsed:.1f} s "
        f"({log.counts['records'] / elapsed:,.0f} records/s), counts {log.counts}"
    )
    print(f"peak RSS {peak_rss_mib():.0f} MiB")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
