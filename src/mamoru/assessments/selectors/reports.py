"""The feedback report of one organisation and its one-page summary for the council.

Both are built from the organisation's current submission (scored by the library), the
peer view of the closed campaign and, when the organisation answered an earlier campaign
of the same framework, that campaign's result. The summary is meant to be handed to the
council or published: it shows scores by CSF function, the change since last year and
three planned improvements named by CSF category only — never an unmet item, which
would tell an attacker where to look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import get_language

from mamoru.assessments import contradictions, definitions
from mamoru.assessments.library import (
    GAP_ORDER_JA,
    SCORING_RULE_JA,
    Comparison,
    Framework,
    Gap,
    GroupScore,
    Scorecard,
    Strength,
    prioritise_gaps,
    strengths,
)
from mamoru.assessments.library.csf import FUNCTION_ORDER
from mamoru.assessments.models import Submission, Target
from mamoru.assessments.selectors.results import (
    PeerView,
    framework_of,
    peer_view,
    previous_target,
    scorecard,
)
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_list

STRENGTHS_SHOWN = 5
IMPROVEMENTS_SHOWN = 3


@dataclass(frozen=True)
class ScoreRow:
    """One group's figures for a report table: own score, peers, last year."""

    key: str
    label: str
    score: GroupScore | None
    peers: Comparison | None = None
    peer_group: str = ""  # the name of the group compared with (e.g. 全国の町)
    previous: float | None = None  # last campaign's coverage of the same group

    @property
    def coverage(self) -> float | None:
        return None if self.score is None else self.score.coverage

    @property
    def change(self) -> float | None:
        if self.coverage is None or self.previous is None:
            return None
        return round(self.coverage - self.previous, 1)


@dataclass(frozen=True)
class YearOnYear:
    campaign_title: str
    submitted_at: datetime
    overall: float | None


@dataclass(frozen=True)
class FeedbackReport:
    target: Target
    submission: Submission
    framework: Framework
    card: Scorecard
    overall: ScoreRow
    functions: list[ScoreRow]
    chapters: list[ScoreRow]
    strengths: list[Strength]
    gaps: list[Gap]
    peers: PeerView | None
    previous: YearOnYear | None
    contradictions: Mapping[str, list[contradictions.Contradiction]] = field(default_factory=dict)
    group_names: Mapping[str, str] = field(default_factory=dict)
    scoring_rule: str = SCORING_RULE_JA
    gap_order: str = GAP_ORDER_JA


def _label(text: Any) -> str:
    return str(text.get(get_language() or "ja"))


def _previous_scores(target: Target) -> tuple[YearOnYear | None, Mapping[str, Any]]:
    earlier = previous_target(target)
    if earlier is None or earlier.current_submission is None:
        return None, {}
    scores: Mapping[str, Any] = earlier.current_submission.scores
    overall = scores.get("overall", {}).get("coverage")
    return (
        YearOnYear(earlier.campaign.title, earlier.current_submission.submitted_at, overall),
        scores,
    )


def prefecture_names() -> dict[str, str]:
    """Prefecture code → name, for the names of peer groups."""
    return {
        o.prefecture_code: o.name
        for o in organisation_list(kind=OrganisationKind.PREFECTURE).only("prefecture_code", "name")
    }


def _rows(
    keys: list[tuple[str, str]],
    card: Scorecard,
    peers: PeerView | None,
    previous: Mapping[str, Any],
    names: Mapping[str, str] | None = None,
) -> list[ScoreRow]:
    rows = []
    for key, label in keys:
        comparison = peers.by_size.get(f"coverage:{key}") if peers else None
        rows.append(
            ScoreRow(
                key=key,
                label=label,
                score=card.groups.get(key),
                peers=comparison,
                peer_group=comparison.distribution.group.label(names) if comparison else "",
                previous=previous.get(key, {}).get("coverage"),
            )
        )
    return rows


def function_keys(card: Scorecard) -> list[tuple[str, str]]:
    """The CSF functions the card has figures for, in CSF order, with their names."""
    catalogue = definitions.catalogue()
    return [
        (f"csf:{f}", f"{_label(catalogue.functions[f])}（{f}）")
        for f in FUNCTION_ORDER
        if f"csf:{f}" in card.groups
    ]


def feedback_report(*, principal: Principal, target: Target) -> FeedbackReport | None:
    """The organisation's feedback report, or ``None`` before it has submitted anything.
    ``target`` comes from ``target_get`` (the gate has decided who reads it)."""
    submission = target.current_submission
    if submission is None:
        return None
    framework = framework_of(target)
    card = scorecard(target, submission)
    peers = peer_view(principal=principal, target=target)
    previous, previous_scores = _previous_scores(target)
    rates = peers.item_rates if peers else {}
    chapters = [
        (f"chapter:{c.id}", f"{c.id}. {_label(c.title)}")
        for c in framework.chapters
        if f"chapter:{c.id}" in card.groups
    ]
    names = prefecture_names()
    (overall,) = _rows([("overall", "全体")], card, peers, previous_scores, names)
    return FeedbackReport(
        target=target,
        submission=submission,
        framework=framework,
        card=card,
        overall=overall,
        functions=_rows(function_keys(card), card, peers, previous_scores, names),
        chapters=_rows(chapters, card, peers, previous_scores, names),
        group_names=names,
        strengths=strengths(framework, card, rates)[:STRENGTHS_SHOWN],
        gaps=prioritise_gaps(framework, card, rates),
        peers=peers,
        previous=previous,
        contradictions=contradictions.contradictions_for(
            principal=principal, organisation=target.organisation, answers=submission.answers
        ),
    )


@dataclass(frozen=True)
class CouncilSummary:
    target: Target
    submission: Submission
    overall: ScoreRow
    functions: list[ScoreRow]
    improvements: list[str]  # CSF category names, never an item
    previous: YearOnYear | None


def planned_improvements(gaps: list[Gap], limit: int = IMPROVEMENTS_SHOWN) -> list[str]:
    """The CSF categories of the most urgent gaps, each once, named as areas of work."""
    catalogue = definitions.catalogue()
    chosen: list[str] = []
    for gap in gaps:
        for csf_id in gap.item.csf:
            category = catalogue.resolve(csf_id).category
            if category is None:
                continue
            name = f"{_label(catalogue.categories[category])}（{category}）"
            if name not in chosen:
                chosen.append(name)
            break
        if len(chosen) == limit:
            break
    return chosen


def council_summary(*, principal: Principal, target: Target) -> CouncilSummary | None:
    """The one-page summary for the council and the public (``None`` before a submission).
    Peer figures are left out: the summary is about the organisation's own progress."""
    submission = target.current_submission
    if submission is None:
        return None
    framework = framework_of(target)
    card = scorecard(target, submission)
    previous, previous_scores = _previous_scores(target)
    peers = peer_view(principal=principal, target=target)
    gaps = prioritise_gaps(framework, card, peers.item_rates if peers else {})
    (overall,) = _rows([("overall", "全体")], card, None, previous_scores)
    return CouncilSummary(
        target=target,
        submission=submission,
        overall=overall,
        functions=_rows(function_keys(card), card, None, previous_scores),
        improvements=planned_improvements(gaps),
        previous=previous,
    )
