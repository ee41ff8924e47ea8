"""What every write of the assessments app shares: the principal's checks, locking a
target, the scores of a set of answers, and the per-prefecture answer counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.translation import gettext as _

from mamoru.assessments import definitions
from mamoru.assessments.library import Framework, Scorecard, Status
from mamoru.assessments.models import Campaign, CampaignStatus, ItemTally, Submission, Target
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.principal import Actor, System, require

TALLY_COLUMN: Mapping[Status, str] = {
    Status.MET: "met",
    Status.PARTIAL: "partial",
    Status.UNMET: "unmet",
    Status.NOT_APPLICABLE: "not_applicable",
    Status.UNANSWERED: "unanswered",
}


def require_own(principal: Actor, target: Target, permission: Permission) -> None:
    """Refuse unless the principal acts in the target organisation with ``permission``."""
    require(
        principal,
        permission,
        organisation=target.organisation,
        message=_("この団体の回答を操作する権限がありません。"),
    )


def require_reviewer(principal: Actor, target: Target) -> None:
    """Refuse unless the principal reviews this organisation's answers: staff (``data.edit``)
    of its supervisor in the hierarchy (the prefecture of a municipality, 総務省 for a
    prefecture) or of the organisation that sent the campaign, never the organisation
    itself."""
    if isinstance(principal, System):
        return
    own = principal.organisation.pk
    reviewers = {target.organisation.parent_id, target.campaign.owner_id}
    if own == target.organisation_id or own not in reviewers:
        raise PermissionDenied(_("この団体の回答を確認する立場にありません。"))
    if not principal.can(Permission.DATA_EDIT):
        raise PermissionDenied(_("回答を確認する権限がありません。"))


def locked(target: Target) -> Target:
    """The target row, locked for this transaction, with what the checks read."""
    return (
        Target.objects.unscoped("the service checked the principal against this target")
        .select_for_update(of=("self",))  # the related rows are read, not locked
        .select_related("campaign__framework", "organisation", "current_submission")
        .get(pk=target.pk)
    )


def require_open(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise StateConflict(_("この調査は締め切られています。"))


def framework_of(target: Target) -> Framework:
    return definitions.definition(target.campaign.framework)


def score(target: Target, answers: Mapping[str, str]) -> Scorecard:
    """The library's scorecard of ``answers`` for the target organisation's size class."""
    return definitions.scorer(target.campaign.framework).score(target.size_class, answers)


def scores_json(card: Scorecard) -> dict[str, dict[str, Any]]:
    """A scorecard's groups as stored with a submission (group key → figures)."""
    return {
        key: {
            "coverage": None if g.coverage is None else round(g.coverage, 2),
            "completeness": None if g.completeness is None else round(g.completeness, 2),
            "level": g.level,
            "potential_level": g.potential_level,
            "applicable": g.applicable,
            "answered": g.answered,
            "met": g.met,
            "not_applicable": g.not_applicable,
        }
        for key, g in card.groups.items()
    }


def mandatory_unmet(framework: Framework, card: Scorecard) -> int:
    """Applicable mandatory items not met: answered otherwise than 実施, or not answered."""
    done = (Status.MET, Status.NOT_APPLICABLE)
    return sum(
        1
        for item_id, result in card.items.items()
        if framework.item(item_id).mandatory and result.status not in done
    )


def tally(target: Target, submission: Submission, sign: int) -> None:
    """Add (``sign`` 1) or withdraw (-1) a submission's answers to the counts of its
    prefecture and of the whole campaign, one UPDATE per answer category (atomic
    increments: concurrent submissions never lose a count)."""
    card = score(target, submission.answers)
    by_column: dict[str, list[str]] = {}
    for item_id, result in card.items.items():
        by_column.setdefault(TALLY_COLUMN[result.status], []).append(item_id)
    cells = ItemTally.objects.unscoped("the counts of a target the service checked").filter(
        campaign_id=target.campaign_id, prefecture_code__in=[target.prefecture_code, ""]
    )
    for column, item_ids in by_column.items():
        cells.filter(item_id__in=item_ids).update(**{column: F(column) + sign})


def add_counts(campaign: Campaign, counts: Mapping[tuple[str, str, str], int]) -> None:
    """Add many answers to the counts at once: (prefecture, item, column) → how many, to
    the prefecture's cells and the whole campaign's; one atomic UPDATE per cell touched."""
    by_cell: dict[tuple[str, str], dict[str, int]] = {}
    for (prefecture, item_id, column), count in counts.items():
        for cell in ((prefecture, item_id), ("", item_id)):  # "": the whole campaign
            added = by_cell.setdefault(cell, {})
            added[column] = added.get(column, 0) + count
    cells = ItemTally.objects.unscoped("the counts of targets the service checked").filter(
        campaign=campaign
    )
    for (prefecture, item_id), added in by_cell.items():
        cells.filter(prefecture_code=prefecture, item_id=item_id).update(
            **{column: F(column) + count for column, count in added.items()}
        )
