"""What changed between two versions of a report, as the principal may see them.

The reporter compares whole submissions; a recipient compares the views its deliveries
of the two versions were cut to (so a change inside a section it may not see shows
nothing, and a TLP:RED section stays out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from uuid import UUID

from mamoru.audit.reads import audited_read
from mamoru.incidents.content import SubmissionView, to_dict
from mamoru.incidents.models import Delivery, Submission
from mamoru.incidents.records import (
    delivery_view,
    submission_view,
    visible_facts,
)
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.selectors.reports import addressed_set, report_visible
from mamoru.orgs.principal import Principal

FACT_LABELS: Final[dict[str, str]] = {
    "category": "インシデントの種別",
    "cyber_attack": "サイバー攻撃によるもの",
    "timeline": "日時",
    "severity": "深刻度",
    "serious": "重大インシデント",
    "services": "影響を受けた業務・サービス",
    "segments": "ネットワーク区分",
    "personal_data": "個人情報",
    "police_consulted": "警察への相談",
    "publicly_announced": "公表",
    "contractor_involved": "委託先の関与",
}


@dataclass(frozen=True)
class Change:
    key: str  # "title", "contact", "tlp", "sections.<name>" or "facts.<name>"
    label: str
    kind: str  # added | removed | changed
    before: Any
    after: Any


@dataclass(frozen=True)
class _Seen:
    view: SubmissionView
    facts: dict[str, Any]


def _kind(before: Any, after: Any) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    return "changed"


def diff_views(old: _Seen, new: _Seen) -> list[Change]:
    """Per-section differences between two views, in the report's order."""
    pairs: list[tuple[str, str, Any, Any]] = [
        ("title", "件名", old.view.content.title, new.view.content.title),
        ("tlp", "TLP", old.view.content.tlp.value, new.view.content.tlp.value),
    ]
    pairs += [
        (f"facts.{name}", label, old.facts.get(name), new.facts.get(name))
        for name, label in FACT_LABELS.items()
    ]
    pairs += [
        (
            f"sections.{name}",
            label,
            old.view.content.sections.get(name),
            new.view.content.sections.get(name),
        )
        for name, label in SECTIONS.items()
    ]
    old_contact, new_contact = (to_dict(v.view.content)["contact"] for v in (old, new))
    pairs.append(("contact", "連絡先", old_contact, new_contact))
    return [
        Change(key, label, _kind(before, after), before, after)
        for key, label, before, after in pairs
        if before != after
    ]


def _seen_by(principal: Principal, submission: Submission) -> _Seen:
    if principal.organisation.pk == submission.report.organisation_id:
        view = submission_view(submission)
        return _Seen(view, visible_facts(view.content))
    delivery = (
        Delivery.objects.addressed_to(addressed_set(principal))
        .select_related("submission__report__organisation", "submission__approved_by", "recipient")
        .get(submission=submission)
    )
    return _Seen(*delivery_view(delivery))


def _target(arguments: Mapping[str, Any]) -> str:
    return str(arguments.get("public_id", ""))


@audited_read("incidents.diff.read", target=_target)
def submission_diff(
    *, principal: Principal, public_id: UUID | str, from_version: int, to_version: int
) -> list[Change]:
    """The changes from ``from_version`` to ``to_version`` of a report the principal made or
    received. ``Submission.DoesNotExist`` / ``Delivery.DoesNotExist`` when a version does
    not exist or was not delivered to the principal's organisation."""
    report = report_visible(principal=principal, public_id=public_id)
    versions = Submission.objects.unscoped(
        "versions of a report that report_visible let through; each is cut by _seen_by"
    ).select_related("report__organisation", "approved_by")
    old = _seen_by(principal, versions.get(report=report, version=from_version))
    new = _seen_by(principal, versions.get(report=report, version=to_version))
    return diff_views(old, new)
