"""The national and prefecture dashboards of a progress campaign, small and full size.

    .venv/bin/python bench/progress_dashboards.py [--db sqlite|postgres] [--repeat 15]

One throw-away database (a SQLite file in a temporary directory, or a PostgreSQL cluster
through scripts/with-postgres.sh, which this script re-executes itself under) holds two
campaigns of the shipped example plan (20 items × 40 steps), each with 24 months of
submitted reports written in bulk (``mamoru.progress.testing.bulk_history``):

* **small**: 10 organisations (東京都 and nine of its municipalities) — 4,800 item rows;
* **full**: all 1,788 local governments — 858,240 item rows.

The derived month rows are computed (``campaign_rollups_refresh``, timed), the planner
statistics gathered (``ANALYZE``, as autovacuum would after a bulk load), then the pages
are requested through Django's whole stack (middleware, gate, templates, SVG charts) as a
national and a prefectural user: the national dashboard, and the prefecture heat map
(東京都 in both campaigns, and 北海道 — 180 participants, the largest — in the full one).
For each page it counts the SQL queries (they must not depend on the size) and takes the
median wall time of ``--repeat`` requests, small and full interleaved; the verdict is the
issue's: the full set within twice the time of the small one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOKYO, HOKKAIDO = "130001", "010006"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page and size")
    parser.add_argument("--months", type=int, default=24, help="months of reports")
    return parser.parse_args()


def reexec_under_postgres() -> None:
    script = ROOT / "scripts" / "with-postgres.sh"
    os.execv("/bin/bash", ["bash", str(script), sys.executable, *sys.argv])  # noqa: S606


def build(months: int) -> dict[str, Any]:
    """Migrate, load the organisations, build both campaigns; the pieces to measure."""
    import django

    django.setup()
    from django.core.management import call_command

    from mamoru.accounts.models import User
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Membership, Organisation
    from mamoru.orgs.principal import System
    from mamoru.orgs.services import organisations_import
    from mamoru.progress.lateness import add_months, month_of, month_range
    from mamoru.progress.services import campaign_rollups_refresh
    from mamoru.progress.testing import bulk_history, make_campaign

    call_command("migrate", verbosity=0)
    organisations_import(principal=System("bench set-up"), rows=read_local_governments())
    everyone = list(
        Organisation.objects.filter(kind__in=LOCAL_GOVERNMENT_KINDS)
        .order_by("code")
        .values_list("code", flat=True)
    )
    small = [TOKYO, *[c for c in everyone if c.startswith("13") and c != TOKYO][:9]]
    this_month = month_of(date.today())
    start = add_months(this_month, -months)
    history = month_range(start, add_months(this_month, -1))
    figures: dict[str, Any] = {"campaigns": {}}
    for key, codes in (("small", small), ("full", everyone)):
        campaign = make_campaign(codes=codes, start=start, key=key)
        began = time.perf_counter()
        rows = bulk_history(campaign, codes, history, silent_share=0)
        written = time.perf_counter() - began
        began = time.perf_counter()
        derived = campaign_rollups_refresh(campaign=campaign)
        figures["campaigns"][key] = {
            "organisations": len(codes),
            "item_rows": rows,
            "write_s": written,
            "rollup_s": time.perf_counter() - began,
            "organisation_months": derived,
        }
    # A production database keeps its planner statistics up to date (autovacuum, SQLite's
    # optimize); right after a bulk load of 858,240 rows they are missing, so gather them.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for username, code in (
        ("bench-nation", "MIC"),
        ("bench-tokyo", TOKYO),
        ("bench-hokkaido", HOKKAIDO),
    ):
        user = User.objects.create_user(username=username, password=None)
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(code=code), role="editor"
        )
    return figures


def measure(repeat: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from mamoru.accounts.models import User

    setup_test_environment()
    clients = {}
    for username in ("bench-nation", "bench-tokyo", "bench-hokkaido"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    pages = [
        ("national", "bench-nation", "/progress/campaigns/{key}/national/"),
        ("prefecture 東京都", "bench-tokyo", f"/progress/campaigns/{{key}}/prefectures/{TOKYO}/"),
        (
            "prefecture 北海道 vs 東京都",
            "bench-hokkaido",
            f"/progress/campaigns/{{key}}/prefectures/{HOKKAIDO}/",
        ),
    ]
    results = []
    with override_settings(MFA_ENFORCED=False):
        for name, user, template in pages:
            timings: dict[str, list[float]] = {"small": [], "full": []}
            queries: dict[str, int] = {}
            for key in ("small", "full"):
                # 北海道 takes no part in the small campaign: its baseline is 東京都's page.
                who = "bench-tokyo" if (key == "small" and user == "bench-hokkaido") else user
                url = template.format(key=key)
                if who != user:
                    url = f"/progress/campaigns/{key}/prefectures/{TOKYO}/"
                with CaptureQueriesContext(connection) as captured:
                    response = clients[who].get(url)
                assert response.status_code == 200, (url, response.status_code)
                queries[key] = len(captured.captured_queries)
            for _ in range(repeat):
                for key in ("small", "full"):
                    who = "bench-tokyo" if (key == "small" and user == "bench-hokkaido") else user
                    url = template.format(key=key)
                    if who != user:
                        url = f"/progress/campaigns/{key}/prefectures/{TOKYO}/"
                    began = time.perf_counter()
                    clients[who].get(url)
                    timings[key].append(time.perf_counter() - began)
            small, full = (statistics.median(timings[k]) * 1000 for k in ("small", "full"))
            results.append(
                {
                    "page": name,
                    "queries": queries,
                    "small_ms": small,
                    "full_ms": full,
                    "ratio": full / small,
                }
            )
    return results


def main() -> None:
    args = parse_args()
    if args.db == "postgres" and "MAMORU_DATABASE_URL" not in os.environ:
        reexec_under_postgres()
    workdir = Path(tempfile.mkdtemp(prefix="mamoru-progress-bench-"))
    os.environ.setdefault("MAMORU_DATA_DIR", str(workdir))
    os.environ.setdefault("MAMORU_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamoru.settings")
    # The campaign's own refresh task is left queued: the benchmark times the rollups itself.
    os.environ.setdefault("MAMORU_TASK_BACKEND", "database")
    figures = build(args.months)
    from django.db import connection

    print(f"database: {connection.vendor}")
    for key, c in figures["campaigns"].items():
        print(
            f"{key}: {c['organisations']} organisations, {c['item_rows']:,} item rows "
            f"(bulk write {c['write_s']:.1f} s), rollups {c['rollup_s']:.1f} s "
            f"for {c['organisation_months']:,} organisation-months"
        )
    results = measure(args.repeat)
    print("\n| page | queries small / full | median small | median full | full ÷ small |")
    print("|---|---|---|---|---|")
    ok = True
    for r in results:
        same = r["queries"]["small"] == r["queries"]["full"]
        ok = ok and same and r["ratio"] <= 2
        print(
            f"| {r['page']} | {r['queries']['small']} / {r['queries']['full']}"
            f"{'' if same else ' (differ!)'} | {r['small_ms']:.1f} ms | {r['full_ms']:.1f} ms "
            f"| {r['ratio']:.2f} |"
        )
    print(f"\nverdict: {'constant queries and within twice the time' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
