"""From a KEV import to the notifications of every exposed organisation and its prefecture,
at the national size: 1,788 organisations and 200,000 services.

    .venv/bin/python bench/asm_alerts.py [--db sqlite|postgres] [--services 200000]
        [--exposed 0.3]

A fresh database is migrated, the organisations and the vulns app's fixture feeds (the
CVE JSON 5 records of the two Ivanti Connect Secure CVEs among them) imported; every
local government gets its share of the 200,000 services (asm ``Service`` rows linked to
the ``vulns.ObservedService`` rows the exposure query reads, as a scan leaves them) and
one person; ``--exposed`` of them run Ivanti Connect Secure 22.3.1.1613. Then a real
``mamoru worker`` (database backend) runs, and ``mamoru vulns import kev`` imports a
catalogue that adds CVE-2023-46805 and CVE-2024-21887. The clock runs from the start of
the import command to the moment every expected notice exists (each exposed
organisation's person and its prefecture's, once per vulnerability). Target: a minute.
Measured on the same inventory: ``asm.selectors.organisations_exposing`` for an advisory
published "by exposure" (a rare product and a common one).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "src" / "mamoru" / "vulns" / "tests" / "fixtures"
CVES = ("CVE-2023-46805", "CVE-2024-21887")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--services", type=int, default=200_000)
    parser.add_argument("--exposed", type=float, default=0.3)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the child: the national inventory, written in bulk ------------------------------------


def _templates() -> dict[str, Any]:
    """One observed-service row per product, identified once by the vulns app's own code."""
    from mamoru.asm.engine.model import Service as Seen
    from mamoru.vulns.services.observed import _row

    seen = {
        "ssh": Seen(ip="192.0.2.1", port=22, service="ssh", product="OpenSSH", vendor="OpenBSD",
                    version="9.2p1", extra={"os": "Debian", "distro_package": "2+deb12u3"}),
        "web": Seen(ip="192.0.2.1", port=443, service="https", product="nginx", vendor="F5", version="1.22.1"),
        "vpn": Seen(ip="192.0.2.1", port=443, service="https", product="Ivanti Connect Secure",
                    vendor="Ivanti", version="22.3.1.1613",
                    cpe="cpe:2.3:a:ivanti:connect_secure:22.3.1.1613:*:*:*:*:*:*:*", extra={"vpn": "true"}),
    }  # fmt: skip
    return {name: (service, _row(0, service)) for name, service in seen.items()}


def build(args: argparse.Namespace) -> None:
    import django

    django.setup()
    import ipaddress
    import random

    from django.db import transaction

    from mamoru.accounts.models import User
    from mamoru.asm.models import Service
    from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Membership
    from mamoru.orgs.selectors import organisation_list
    from mamoru.vulns.models import ObservedService

    rng = random.Random(7)
    organisations = [o for o in organisation_list() if o.kind in LOCAL_GOVERNMENT_KINDS]
    per = args.services // len(organisations)
    templates = _templates()
    exposed = set(rng.sample(range(len(organisations)), int(len(organisations) * args.exposed)))
    base = int(ipaddress.IPv4Address("198.18.0.0"))
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"staff-{o.code}", email=f"staff-{o.code}@example.jp")
                for o in organisations
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, organisation=o, role="viewer")
                for u, o in zip(users, organisations, strict=True)
            ]
        )
        for index, organisation in enumerate(organisations):
            kinds = [
                "vpn" if index in exposed and n == 0 else ("ssh" if n % 2 else "web")
                for n in range(per)
            ]
            observed = []
            for n, kind in enumerate(kinds):
                row = templates[kind][1]
                observed.append(ObservedService(**{
                    **{f.attname: getattr(row, f.attname) for f in ObservedService._meta.concrete_fields if f.attname != "id"},
                    "organisation_id": organisation.pk, "ip": str(ipaddress.IPv4Address(base + index * 256 + n)),
                }))  # fmt: skip
            observed = ObservedService.objects.bulk_create(observed, batch_size=2000)
            Service.objects.bulk_create([
                Service(organisation=organisation, ip=o.ip, port=o.port, service=o.service,
                        product=templates[k][0].product, vendor=templates[k][0].vendor or "",
                        version=templates[k][0].version or "", cpe=templates[k][0].cpe or "",
                        extra=dict(templates[k][0].extra), observed_id=o.pk)
                for o, k in zip(observed, kinds, strict=True)
            ], batch_size=2000)  # fmt: skip
    exposing = _time_exposing()
    prefectures = {organisations[i].prefecture_code for i in exposed}
    # One person each: the exposed organisation's, and its prefecture's (a prefecture that
    # is itself exposed is told once).
    told = sum(1 + (organisations[i].kind != "prefecture") for i in exposed)
    print(json.dumps({"organisations": len(organisations), "services": per * len(organisations),
                      "exposed": len(exposed), "prefectures": len(prefectures),
                      "notices": told * len(CVES), "exposing": exposing}))  # fmt: skip


# An advisory "by exposure" asks the same inventory which organisations run a product:
# the rare one (the Ivanti of 30 %) and the common one (OpenSSH on every organisation).
ADVISORY_PRODUCTS = ("ivanti:connect_secure <22.7r2.5", "openbsd:openssh >=8.5p1 <9.8p1")


def _time_exposing() -> list[tuple[str, float, int]]:
    from mamoru.advisories.products import parse_product
    from mamoru.asm.selectors import organisations_exposing

    timings = []
    for line in ADVISORY_PRODUCTS:
        started = time.perf_counter()
        found = organisations_exposing(products=[parse_product(line)])
        timings.append((line, time.perf_counter() - started, len(found)))
    return timings


# --- the parent ----------------------------------------------------------------------------


def _database(kind: str, directory: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory}/alerts.sqlite3"
    import psycopg

    base = os.environ["MAMORU_DATABASE_URL"].replace("postgres://", "postgresql://")
    name = f"asm_alerts_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def _count(url: str, table: str) -> int:
    sql = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 - our own table names
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as db:
            return int(db.execute(sql).fetchone()[0])
    import psycopg

    with psycopg.connect(url) as db:
        row = db.execute(sql.encode()).fetchone()
        return int(row[0]) if row else 0


def _catalogue(path: Path) -> None:
    entries = [
        {"cveID": cve, "vendorProject": "Ivanti", "product": "Connect Secure and Policy Secure",
         "vulnerabilityName": f"{cve}", "dateAdded": "2024-01-10", "dueDate": "2024-01-22",
         "shortDescription": "", "requiredAction": "Apply mitigations per vendor instructions.",
         "knownRansomwareCampaignUse": "Unknown", "notes": ""}
        for cve in CVES
    ]  # fmt: skip
    path.write_text(json.dumps({"catalogVersion": "bench", "dateReleased": "2024-01-10T00:00:00Z",
                                "count": len(entries), "vulnerabilities": entries}), "utf-8")  # fmt: skip


def _measure(
    url: str, env: dict[str, str], directory: str, data: dict[str, Any], mamoru: Any
) -> tuple[float, float | None, float, int]:
    """Start a worker, import the KEV catalogue, and time the notices into the database."""
    kev = Path(directory) / "kev.json"
    _catalogue(kev)
    with open(Path(directory) / "worker.log", "wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "mamoru", "worker", "--interval", "0.5",
                                   "--no-scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        time.sleep(3)  # the worker is up and polling
        started = time.perf_counter()
        mamoru("vulns", "import", "kev", "--file", str(kev))
        imported = time.perf_counter() - started
        first = None
        while _count(url, "asm_alertnotice") < data["notices"]:
            if first is None and _count(url, "asm_exposurealert"):
                first = time.perf_counter() - started
            if time.perf_counter() - started > 600:
                sys.exit(
                    "not every notice after ten minutes:\n"
                    + (Path(directory) / "worker.log").read_text()[-3000:]
                )
            time.sleep(0.2)
        done = time.perf_counter() - started
        alerts = _count(url, "asm_exposurealert")
    finally:
        worker.terminate()  # db_worker lets the running task (the e-mails) finish first
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return imported, first, done, alerts


def main() -> None:
    args = parse_args()
    if args.build:
        build(args)
        return
    if args.db == "postgres" and "postgres" not in os.environ.get("MAMORU_DATABASE_URL", ""):
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv("/bin/bash", ["bash", str(script), sys.executable, *sys.argv])  # noqa: S606
    with tempfile.TemporaryDirectory() as directory:
        url = _database(args.db, directory)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mamoru.settings", "MAMORU_DATABASE_URL": url,
               "MAMORU_DATA_DIR": directory, "MAMORU_LOG_LEVEL": "WARNING",
               "MAMORU_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}  # fmt: skip

        def mamoru(*argv: str) -> str:
            done = subprocess.run([sys.executable, "-m", "mamoru", *argv], env=env,
                                  capture_output=True, text=True, check=False)  # fmt: skip
            if done.returncode != 0:
                sys.exit(done.stderr[-4000:])
            return done.stdout

        mamoru("migrate", "--no-input", "-v", "0")
        mamoru("load-organisations")
        mamoru("vulns", "import", "cve5", "--file", str(FIXTURES / "cve5"))
        started = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--build", "--services", str(args.services),
                              "--exposed", str(args.exposed)], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        built = time.perf_counter() - started
        data = json.loads(out.stdout.strip().splitlines()[-1])
        imported, first, done, alerts = _measure(url, env, directory, data, mamoru)
    print(f"database: {args.db}; {data['organisations']:,} organisations, {data['services']:,} services "
          f"(written in {built:.0f} s); {data['exposed']:,} run the affected Ivanti version, in "
          f"{data['prefectures']} prefectures")  # fmt: skip
    print(f"KEV import command (two entries, process start included): {imported:.1f} s")
    print(f"first alert stored: {first or done:.1f} s after the import started")
    print(f"every notice stored ({data['notices']:,} notices, {alerts:,} alerts): {done:.1f} s")
    print("verdict:", "within a minute" if done <= 60 else "MISSED the minute")
    for line, seconds, found in data["exposing"]:
        print(f"advisory by exposure, {line}: {found:,} organisations in {seconds:.2f} s")


if __name__ == "__main__":
    main()
