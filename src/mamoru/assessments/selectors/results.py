"""Scores and peer comparison of one organisation, for its report, summary and the API.

Peer statistics come from the snapshot frozen at close and leave this module only as
what the library publishes for a viewer: quartiles of published groups, the viewer's own
percentile, and item rates that passed the small-cell rule (``library.peers``). The
snapshot itself, with every organisation's figures, never reaches an interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mamoru.assessments import definitions
from mamoru.assessments.library import (
    Comparison,
    Dimension,
    Framework,
    ItemRate,
    PeerStatistics,
    Scorecard,
    Viewer,
)
from mamoru.assessments.library.csf import FUNCTION_ORDER
from mamoru.assessments.models import COUNTED, Snapshot, Submission, Target
from mamoru.orgs.principal import Principal

FUNCTION_METRICS = ("coverage:overall", *(f"coverage:csf:{f}" for f in FUNCTION_ORDER))


def framework_of(target: Target) -> Framework:
    return definitions.definition(target.campaign.framework)


def scorecard(target: Target, submission: Submission) -> Scorecard:
    """The library's scorecard of a submission (scored again from its answers: the same
    figures as stored with it, with the item results a report needs)."""
    return definitions.scorer(target.campaign.framework).score(
        target.size_class, submission.answers
    )


def _statistics(target: Target) -> PeerStatistics | None:
    snapshot = (
        Snapshot.objects.unscoped(
            "peer statistics read the whole snapshot; only published figures leave this module"
        )
        .filter(campaign_id=target.campaign_id)
        .only("digest", "document")
        .first()
    )
    if snapshot is None:
        return None
    return definitions.statistics_of(snapshot.digest, snapshot.document)


def viewer_of(target: Target) -> Viewer:
    return Viewer(target.organisation.code, target.size_class, target.prefecture_code)


@dataclass(frozen=True)
class PeerView:
    """What one organisation may see of its peers (nothing that names another)."""

    organisations: int  # how many organisations the snapshot holds
    by_size: dict[str, Comparison] = field(default_factory=dict)  # metric -> comparison
    by_prefecture: dict[str, Comparison] = field(default_factory=dict)
    item_rates: dict[str, ItemRate] = field(default_factory=dict)

    def median(self, metric: str) -> float | None:
        found = self.by_size.get(metric)
        return None if found is None else found.distribution.median


def peer_view(*, principal: Principal, target: Target) -> PeerView | None:
    """The target organisation's comparison with its peers, once its campaign is closed
    and frozen (``None`` before). ``target`` comes from ``target_get``: the gate has
    already decided that the principal reads this organisation's results."""
    statistics = _statistics(target)
    if statistics is None:
        return None
    viewer = viewer_of(target)
    by_size: dict[str, Comparison] = {}
    by_prefecture: dict[str, Comparison] = {}
    for metric in statistics.metrics:
        found = statistics.compare(viewer, metric)
        if found is not None:
            by_size[metric] = found
    for metric in FUNCTION_METRICS:
        found = statistics.compare(viewer, metric, Dimension.PREFECTURE)
        if found is not None:
            by_prefecture[metric] = found
    items = [item.id for item in framework_of(target).items_for(target.size_class)]
    return PeerView(
        organisations=len(statistics.snapshot.records),
        by_size=by_size,
        by_prefecture=by_prefecture,
        item_rates=statistics.item_rates(viewer, items),
    )


def previous_target(target: Target) -> Target | None:
    """The same organisation's target in the latest earlier campaign of the same
    framework family (slug) with counted answers: the year-on-year comparison."""
    return (
        Target.objects.unscoped("the organisation's own earlier result; the caller read this one")
        .filter(
            organisation_id=target.organisation_id,
            campaign__framework__slug=target.campaign.framework.slug,
            campaign__created_at__lt=target.campaign.created_at,
            status__in=COUNTED,
            current_submission__isnull=False,
        )
        .select_related("campaign", "current_submission")
        .order_by("-campaign__created_at")
        .first()
    )
