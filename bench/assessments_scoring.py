"""Scoring and peer statistics of a whole national campaign, in memory (no database).

    .venv/bin/python bench/assessments_scoring.py [--seed 2026] [--naive-sample 20]

All 1,788 local governments (``../shared/data/local-governments/``) answer the shipped
``lg-measures:2026`` framework (105 items; synthetic answers: each organisation has a
maturity drawn by size class, lower for higher levels; about 4 % unanswered and 3 %
該当なし). The run times, one after the other:

1. scoring every organisation (one :class:`Scorer`);
2. freezing the snapshot (copies + SHA-256 digest);
3. computing every peer statistic once (:class:`PeerStatistics`: publication plans,
   quartiles of 76 metrics by size class and of the overall score and six functions by
   prefecture, item rates of 105 items);
4. each organisation's report figures: comparisons for the overall score and the six CSF
   functions in both hierarchies, the item rates of its items, its prioritised gaps.

The reference is the naive way to get the same figures: recompute the peer statistics for
each organisation's report (the publication plan depends on the whole tree, so nothing
less is correct). It is timed on ``--naive-sample`` organisations and scaled to 1,788;
the ratio is naive ÷ (3 + 4).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from mamoru.assessments.library import (
    Dimension,
    Framework,
    PeerStatistics,
    Scorecard,
    Scorer,
    Viewer,
    freeze_snapshot,
    prioritise_gaps,
    record_from_scorecard,
    shipped_framework,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MAMORU_SHARED_DATA", REPO.parent / "shared" / "data"))
KINDS = {
    "都道府県": "prefecture",
    "政令指定都市": "designated_city",
    "中核市": "core_city",
    "市": "city",
    "特別区": "special_ward",
    "町": "town",
    "村": "village",
}
# Mean maturity by size class: larger organisations have more staff for security.
MATURITY = {
    "prefecture": 0.8,
    "designated_city": 0.8,
    "core_city": 0.7,
    "special_ward": 0.7,
    "city": 0.6,
    "town": 0.5,
    "village": 0.45,
}
FUNCTIONS = ("GV", "ID", "PR", "DE", "RS", "RC")


def organisations() -> list[Viewer]:
    path = SHARED / "local-governments" / "local_governments.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            Viewer(row["code"], KINDS[row["kind"]], row["prefecture_code"])
            for row in csv.DictReader(handle)
        ]


def synthetic_answers(framework: Framework, orgs: list[Viewer], seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    result = []
    for org in orgs:
        maturity = min(0.98, max(0.05, rng.gauss(MATURITY[org.size_class], 0.15)))
        answers: dict[str, str] = {}
        for item in framework.items_for(org.size_class):
            draw = rng.random()
            if draw < 0.04:
                continue
            if draw < 0.07:
                answers[item.id] = "not_applicable"
                continue
            chance = maturity - 0.15 * (item.level - 1) + (0.1 if item.mandatory else 0.0)
            roll = rng.random()
            if roll < chance:
                answers[item.id] = "implemented"
            elif roll < chance + 0.15:
                answers[item.id] = "partial"
            else:
                answers[item.id] = "not_implemented"
        result.append(answers)
    return result


def report_figures(
    stats: PeerStatistics, framework: Framework, viewer: Viewer, card: Scorecard
) -> int:
    """What one organisation's feedback report needs; returns how many figures were shown."""
    shown = 0
    for metric in ("coverage:overall", *(f"coverage:csf:{f}" for f in FUNCTIONS)):
        for dimension in Dimension:
            shown += stats.compare(viewer, metric, dimension) is not None
    rates = stats.item_rates(viewer, (item.id for item in framework.items_for(viewer.size_class)))
    gaps = prioritise_gaps(framework, card, rates)
    return shown + len(rates) + len(gaps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--naive-sample", type=int, default=20)
    args = parser.parse_args()

    framework = shipped_framework("urn:mamoru:framework:lg-measures:2026")
    orgs = organisations()
    answers = synthetic_answers(framework, orgs, args.seed)
    print(f"{len(orgs)} organisations, {len(framework.items)} items ({framework.urn})")

    start = time.perf_counter()
    scorer = Scorer(framework)
    cards = [scorer.score(org.size_class, given) for org, given in zip(orgs, answers, strict=True)]
    scored = time.perf_counter()
    snapshot = freeze_snapshot(
        campaign="bench",
        framework_urn=framework.urn,
        closed_at=datetime(2026, 12, 25, 8, 0, tzinfo=UTC),
        records=[
            record_from_scorecard(org.org_id or "", org.prefecture, card)
            for org, card in zip(orgs, cards, strict=True)
        ],
    )
    frozen = time.perf_counter()
    stats = PeerStatistics(snapshot)
    computed = time.perf_counter()
    figures = sum(
        report_figures(stats, framework, org, card) for org, card in zip(orgs, cards, strict=True)
    )
    reported = time.perf_counter()

    sample = random.Random(args.seed).sample(range(len(orgs)), min(args.naive_sample, len(orgs)))
    naive_times = []
    for index in sample:
        begin = time.perf_counter()
        report_figures(PeerStatistics(snapshot), framework, orgs[index], cards[index])
        naive_times.append(time.perf_counter() - begin)
    naive_total = statistics.mean(naive_times) * len(orgs)
    shared_total = (computed - frozen) + (reported - computed)

    print(f"score {len(orgs)} organisations:        {scored - start:8.3f} s")
    print(f"freeze the snapshot (digest):     {frozen - scored:8.3f} s")
    print(f"every peer statistic, once:       {computed - frozen:8.3f} s")
    print(f"every organisation's report figures: {reported - computed:5.3f} s ({figures} figures)")
    print(f"total:                            {reported - start:8.3f} s")
    print(
        f"naive per-organisation recomputation: {statistics.mean(naive_times):.3f} s per organisation"
        f" (mean of {len(sample)}), ≈ {naive_total:.0f} s for {len(orgs)}"
    )
    print(f"ratio naive / computed once:      {naive_total / shared_total:8.1f}x")
    overall = Counter(
        comparison.fallback if comparison else "none"
        for comparison in (stats.compare(org, "coverage:overall") for org in orgs)
    )
    print(
        "overall-score group shown by size class: "
        f"in the prefecture {overall[0]}, nationally {overall[1]}, all {overall[2]}, none {overall['none']}"
    )
    distributions, rates = stats.published
    print(f"published: {distributions} distributions, {rates} item rates")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
