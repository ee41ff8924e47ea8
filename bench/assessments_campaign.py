"""A national campaign answered by every local government, with the database: closing it,
and the national dashboard at full size against 10 organisations.

    .venv/bin/python bench/assessments_campaign.py [--db sqlite|postgres] [--renders 15]

In a throw-away database (a SQLite file in a temporary directory, or a PostgreSQL cluster
through scripts/with-postgres.sh, which this script re-executes itself under) it loads the
1,788 local governments and the shipped ``lg-measures:2026`` framework (105 items), then
sends two campaigns from 総務省: one to every local government, one to 10 of them. Every
organisation's answers (synthetic: a maturity drawn by size class, lower for higher
levels, about 4 % unanswered and 3 % 該当なし) are recorded as submissions
(``submissions_import``, the operators' bulk path, timed for information).

Measured, one campaign after the other:

1. **close**: ``campaign_close`` and then ``campaign_freeze`` (what the task runs when the
   close commits): every counted submission scored again, the snapshot frozen with its
   SHA-256 and stored, the targets' final scores written, and every peer statistic
   computed once;
2. **national dashboard**: the page ``/assessments/campaigns/<id>/dashboard/`` rendered
   for 総務省's operator through Django's test client (the whole request: middleware,
   gate, selectors, template), ``--renders`` times after one warm-up; the SQL queries of
   one render are counted.

The reference for the dashboard is the same page for the 10-organisation campaign: the
goal is the same number of queries and a render time within twice the small one's
(the dashboard reads the per-prefecture counts the services keep, never every answer).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SMALL = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--renders", type=int, default=15, help="timed renders per dashboard")
    return parser.parse_args()


def reexec_under_postgres() -> None:
    """Run this script again inside a throw-away PostgreSQL cluster."""
    script = ROOT / "scripts" / "with-postgres.sh"
    os.execv("/bin/bash", ["bash", str(script), sys.executable, *sys.argv])  # noqa: S606


MATURITY = {
    "prefecture": 0.85,
    "designated_city": 0.85,
    "core_city": 0.78,
    "special_ward": 0.78,
    "city": 0.7,
    "town": 0.58,
    "village": 0.5,
}


def answers_for(code: str, kind: str, items: list[Any]) -> dict[str, str]:
    """Synthetic answers of one organisation (deterministic per organisation code)."""
    draws = random.Random(f"bench-{code}")
    skill = MATURITY[kind] + draws.gauss(0, 0.08)
    found: dict[str, str] = {}
    for item in items:
        roll = draws.random()
        if roll < 0.04:
            continue  # unanswered
        if roll > 0.97 and not item.mandatory:
            found[item.id] = "not_applicable"
            continue
        chance = skill - 0.12 * (item.level - 1)
        step = draws.random()
        found[item.id] = (
            "implemented"
            if step < chance
            else "partial"
            if step < chance + 0.12
            else "not_implemented"
        )
    return found


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def prepare() -> dict[str, Any]:
    """Migrate, load the organisations and the framework, send and answer both campaigns."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from mamoru.accounts.models import User
    from mamoru.assessments import definitions
    from mamoru.assessments.library.loader import FRAMEWORKS_DIR
    from mamoru.assessments.services import campaign_create, framework_load, submissions_import
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Membership
    from mamoru.orgs.principal import System
    from mamoru.orgs.roles import Role
    from mamoru.orgs.selectors import organisation_by_code, organisation_list
    from mamoru.orgs.services import organisations_import

    system = System("bench set-up")
    call_command("migrate", verbosity=0)
    organisations_import(principal=system, rows=read_local_governments())
    path = FRAMEWORKS_DIR / "lg-measures-2026.yaml"
    framework = framework_load(
        principal=system, text=path.read_text(encoding="utf-8"), source=path.name
    )
    organisations = list(
        organisation_list().filter(kind__in=LOCAL_GOVERNMENT_KINDS).values_list("code", "kind")
    )
    mic = organisation_by_code(code="MIC")
    user = User.objects.create(username="bench-nation")
    Membership.objects.create(user=user, organisation=mic, role=Role.EDITOR)
    deadline = timezone.now() + timedelta(days=30)
    full = campaign_create(
        principal=system, owner=mic, framework=framework, title="全団体", deadline=deadline
    )
    small_codes = [code for code, _kind in organisations[:: len(organisations) // SMALL]][:SMALL]
    small = campaign_create(
        principal=system,
        owner=mic,
        framework=framework,
        title="10団体",
        deadline=deadline,
        organisation_codes=small_codes,
    )
    items = list(definitions.definition(framework).items)
    kinds = dict(organisations)
    answers = {
        code: answers_for(code, kind, [i for i in items if i.applies_to(kind)])
        for code, kind in organisations
    }
    record, _ = timed(lambda: submissions_import(principal=system, campaign=full, answers=answers))
    submissions_import(
        principal=system, campaign=small, answers={c: answers[c] for c in small_codes}
    )
    print(f"organisations: {len(organisations)} ({len(kinds)} codes); items: {len(items)}")
    print(f"recording {len(organisations)} submissions (bulk import): {record:.2f} s")
    return {"full": full, "small": small, "user": user}


def close(campaign: Any) -> tuple[float, float, int]:
    """Close (the task the close enqueues is not run: the freeze is timed on its own)."""
    from mamoru.assessments.services import campaign_close, campaign_freeze
    from mamoru.orgs.principal import System

    system = System("bench")
    closing, _ = timed(lambda: campaign_close(principal=system, campaign=campaign))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
    freezing, snapshot = timed(lambda: campaign_freeze(principal=system, campaign=campaign))
    if os.environ.get("BENCH_PROFILE"):
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    return closing, freezing, snapshot.organisations


def render(user: Any, campaign: Any, renders: int) -> tuple[int, list[float]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/assessments/campaigns/{campaign.pk}/dashboard/"
    assert client.get(url).status_code == 200  # warm-up: caches, template loading
    reset_queries()  # DEBUG keeps a bounded log of every query: start from an empty one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    queries = len(captured.captured_queries)  # now: the next request clears the log
    if os.environ.get("BENCH_QUERIES"):
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
    times = []
    for _ in range(renders):
        elapsed, response = timed(lambda: client.get(url))
        assert response.status_code == 200
        times.append(elapsed)
    return queries, times


def main() -> int:
    args = parse_args()
    if args.db == "postgres" and "MAMORU_DATABASE_URL" not in os.environ:
        reexec_under_postgres()
    workdir = tempfile.TemporaryDirectory(prefix="mamoru-bench-")
    if args.db == "sqlite":
        os.environ["MAMORU_DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamoru.settings")
    os.environ["MAMORU_DATA_DIR"] = workdir.name
    os.environ["MAMORU_MFA_ENFORCED"] = "false"
    setup, made = timed(prepare)
    print(f"database: {args.db}; set-up {setup:.1f} s")
    results = {}
    for name in ("small", "full"):
        closing, freezing, counted = close(made[name])
        queries, times = render(made["user"], made[name], args.renders)
        results[name] = (queries, statistics.median(times))
        print(
            f"{name:>5}: close {closing * 1000:.0f} ms + freeze {freezing:.2f} s "
            f"({counted} organisations); dashboard {queries} queries, "
            f"median {statistics.median(times) * 1000:.1f} ms "
            f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}) over {len(times)} renders"
        )
    (q_small, t_small), (q_full, t_full) = results["small"], results["full"]
    ratio = t_full / t_small
    print(f"dashboard: queries {q_full} vs {q_small}; time ratio full/small {ratio:.2f} (goal ≤ 2)")
    workdir.cleanup()
    passed = q_full == q_small and ratio <= 2.0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
