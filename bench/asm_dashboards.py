"""The national and prefecture pages at 10 organisations and at the national size.

    .venv/bin/python bench/asm_dashboards.py [--db sqlite|postgres] [--small 10]
        [--organisations 1788] [--services 200000] [--findings 500000] [--repeat 7]

For each size, a fresh database (a SQLite file, or a new database of a throw-away
PostgreSQL cluster: this script re-executes itself under scripts/with-postgres.sh) is
migrated, the organisations loaded, the data set written in bulk (``bench/_asm_data.py``:
services, findings, assets, scans), the figures the pages read computed as the platform
computes them (every organisation's exposure row, the national ranking, 90 days of daily
totals), and then each page is requested through Django's test client as its reader
(総務省 for the nation, 東京都 for the prefecture): the number of SQL queries, and the
median render time of ``--repeat`` requests after two warm-ups.

The verdict: the same number of queries at both sizes, and full-size time within twice
the small one. Nothing is scanned and nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "nation": ("nation", "/asm/nation/"),
    "prefecture": ("tokyo", "/asm/prefecture/"),
    "prefecture, sorted by overdue KEV, page 2": ("tokyo", "/asm/prefecture/?sort=overdue&page=2"),
    "overdue KEV of the prefecture": ("tokyo", "/asm/prefecture/overdue/"),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--organisations", type=int, default=1788)
    parser.add_argument("--services", type=int, default=200_000)
    parser.add_argument("--findings", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the child: one size on one database ---------------------------------------------------


def _people() -> dict[str, Any]:
    from mamoru.accounts.models import User
    from mamoru.orgs.models import Membership
    from mamoru.orgs.selectors import organisation_by_code

    people = {}
    for name, code in (("nation", "MIC"), ("tokyo", "130001")):
        user = User.objects.create_user(username=name, email=f"{name}@example.jp")
        Membership.objects.create(
            user=user, organisation=organisation_by_code(code=code), role="editor"
        )
        people[name] = user
    return people


def _measure(client: Any, path: str, repeat: int) -> tuple[int, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(path).status_code == 200
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    return len(queries.captured_queries), statistics.median(times), len(response.content)


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    sys.path.insert(0, str(ROOT / "bench"))
    from _asm_data import Size, build, history
    from mamoru.asm import services
    from mamoru.testing import ensure_organisations

    call_command("migrate", verbosity=0)
    ensure_organisations()
    people = _people()
    started = time.perf_counter()
    written = build(Size(args.organisations, args.services, args.findings))
    built = time.perf_counter() - started
    started = time.perf_counter()
    services.exposure_refresh_all()
    refreshed = time.perf_counter() - started
    started = time.perf_counter()
    services.national_rollup_refresh()
    ranked = time.perf_counter() - started
    history()
    results = {}
    for label, (who, path) in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(people[who])
        queries, seconds, size = _measure(client, path, args.repeat)
        results[label] = {"queries": queries, "seconds": seconds, "bytes": size}
    print(json.dumps({"written": written, "build_seconds": built, "refresh_seconds": refreshed,
                      "ranking_seconds": ranked, "pages": results}))  # fmt: skip


# --- the parent: both sizes, side by side --------------------------------------------------


def _database(kind: str, directory: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory}/bench-{uuid.uuid4().hex[:8]}.sqlite3"
    import psycopg

    base = os.environ["MAMORU_DATABASE_URL"].replace("postgres://", "postgresql://")
    name = f"asm_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def run_size(args: argparse.Namespace, organisations: int, directory: str) -> dict[str, Any]:
    share = organisations / args.organisations
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mamoru.settings",
        "MAMORU_DATABASE_URL": _database(args.db, directory),
        "MAMORU_DATA_DIR": directory,
        "MAMORU_MFA_ENFORCED": "false",
        "MAMORU_LOG_LEVEL": "WARNING",
    }
    argv = [
        sys.executable, __file__, "--child", "--organisations", str(organisations),
        "--services", str(round(args.services * share)), "--findings", str(round(args.findings * share)),
        "--repeat", str(args.repeat),
    ]  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(done.stderr[-5000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    args = parse_args()
    if args.child:
        child(args)
        return
    if args.db == "postgres" and "postgres" not in os.environ.get("MAMORU_DATABASE_URL", ""):
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv("/bin/bash", ["bash", str(script), sys.executable, *sys.argv])  # noqa: S606
    with tempfile.TemporaryDirectory() as directory:
        small = run_size(args, args.small, directory)
        full = run_size(args, args.organisations, directory)
    print(f"database: {args.db}")
    for label, result in (("small", small), ("full", full)):
        w = result["written"]
        print(
            f"{label}: {w['organisations']:,} organisations, {w['services']:,} services, "
            f"{w['findings']:,} findings — written in {result['build_seconds']:.1f} s; "
            f"every organisation's figures {result['refresh_seconds']:.1f} s, "
            f"national ranking {result['ranking_seconds']:.1f} s"
        )
    print(f"{'page':<42} {'queries':>15} {'small ms':>9} {'full ms':>9} {'full/small':>10}")
    verdict = True
    for label in PAGES:
        a, b = small["pages"][label], full["pages"][label]
        ratio = b["seconds"] / a["seconds"]
        same = a["queries"] == b["queries"]
        verdict &= same and ratio <= 2
        print(
            f"{label:<42} {a['queries']:>6} → {b['queries']:<6} {a['seconds'] * 1000:>9.1f} "
            f"{b['seconds'] * 1000:>9.1f} {ratio:>10.2f}"
        )
    print(
        "verdict:", "queries constant, full size within 2× the small one" if verdict else "MISSED"
    )


if __name__ == "__main__":
    main()
