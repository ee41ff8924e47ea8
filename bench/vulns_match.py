"""Matching benchmark: 100,000 identified services against a database holding the fixture
feeds, the full KEV snapshot and 20,000 synthetic CVE records over 300 products; then an
exposure query for one CVE across 200,000 recorded services.

    .venv/bin/python bench/vulns_match.py [--services 100000] [--observed 200000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import time

from _vulns_setup import REPO, fresh_database, kev_snapshot, peak_rss_mib
from mamoru.asm.engine.model import Service  # pure: no Django set-up needed
from vulns_import import generate

FIXTURES = REPO / "src" / "mamoru" / "vulns" / "tests" / "fixtures"
REAL = [
    ("OpenSSH", "OpenBSD", "ssh"),
    ("FortiOS", "Fortinet", "https"),
    ("PAN-OS", "Palo Alto Networks", "https"),
    ("NetScaler Gateway", "Citrix", "https"),
    ("Ivanti Connect Secure", "Ivanti", "https"),
]
REAL_VERSIONS = {
    "OpenSSH": ["8.9p1", "9.2p1", "9.6p1", "9.7p1", "9.8p1", "7.4p1"],
    "FortiOS": ["7.2.3", "7.2.7", "7.4.1", "6.4.14", "7.0.15"],
    "PAN-OS": ["10.2.9", "10.2.9-h1", "11.1.1", "11.1.2-h3"],
    "NetScaler Gateway": ["13.1-49.13", "13.1-49.15", "14.1-8.50"],
    "Ivanti Connect Secure": ["22.4R2.1", "22.7R2.3", "9.1R18.2"],
}
DEBIAN = ["2", "2+deb12u1", "2+deb12u2", "2+deb12u3"]


def services(count: int, seed: int) -> list[Service]:

    rng = random.Random(seed)
    result = []
    for number in range(count):
        ip = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        if rng.random() < 0.3:
            product, vendor, protocol = rng.choice(REAL)
            version = rng.choice(REAL_VERSIONS[product])
            extra = {}
            if product == "OpenSSH" and version == "9.2p1":
                extra = {"os": "Debian", "distro_package": rng.choice(DEBIAN)}
            result.append(
                Service(
                    ip=ip,
                    port=443,
                    service=protocol,
                    product=product,
                    vendor=vendor,
                    version=version,
                    extra=extra,
                )
            )
        else:
            version = f"{rng.randrange(1, 4)}.{rng.randrange(9)}.{rng.randrange(20)}"
            result.append(
                Service(
                    ip=ip,
                    port=443,
                    service="https",
                    product=f"product{rng.randrange(20)}",
                    vendor=f"vendor{rng.randrange(15)}",
                    version=version,
                )
            )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--observed", type=int, default=200_000)
    args = parser.parse_args()
    workdir = fresh_database()
    from mamoru.vulns.matching import Matcher
    from mamoru.vulns.selectors import exposures_for_vulnerability
    from mamoru.vulns.services import feed_import, observed_services_record

    for source in ("cve5", "nvd", "jvn", "epss", "osv"):
        feed_import(source=source, path=FIXTURES / source)
    feed_import(source="kev", path=kev_snapshot())
    # 20,000 records over vendor0..14/product0..19: about 66 vulnerabilities per product.
    generate(workdir / "cvelist", 20_000, vendors=15)
    feed_import(source="cve5", path=workdir / "cvelist")

    batch = services(args.services, seed=1)
    started = time.perf_counter()
    matcher = Matcher()
    matched = sum(1 for service in batch if matcher.match(service))
    elapsed = time.perf_counter() - started
    print(
        f"match: {args.services:,} services in {elapsed:.1f} s "
        f"({args.services / elapsed:,.0f} services/s); {matched:,} with at least one match"
    )

    observed = services(args.observed, seed=2)
    started = time.perf_counter()
    for org in range(0, len(observed), 10_000):
        chunk = observed[org : org + 10_000]
        for offset in range(0, len(chunk), 112):  # ~1,788 organisations
            observed_services_record(
                organisation_id=1 + (org + offset) // 112, services=chunk[offset : offset + 112]
            )
    print(f"recorded {args.observed:,} observed services in {time.perf_counter() - started:.1f} s")

    for cve in ("CVE-2024-6387", "CVE-2024-21762", "CVE-2000-100000"):
        started = time.perf_counter()
        exposures = exposures_for_vulnerability(vulnerability_id=cve)
        elapsed = time.perf_counter() - started
        organisations = len({e.organisation_id for e in exposures})
        print(
            f"exposure {cve}: {len(exposures):,} services in {organisations:,} organisations, "
            f"{elapsed * 1000:.0f} ms"
        )
    print(f"peak RSS {peak_rss_mib():.0f} MiB")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
