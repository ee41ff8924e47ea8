"""Records and library objects as the API's output dicts."""

from __future__ import annotations

from typing import Any

from mamoru.assessments.library import Comparison, Framework, Item, ItemRate, Text
from mamoru.assessments.models import Answer, Campaign, Review, Snapshot, Submission, Target
from mamoru.assessments.models import Framework as StoredFramework
from mamoru.assessments.selectors import Dashboard, PeerView, Rate


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"ja": text.ja, "en": text.en}


def framework_out(stored: StoredFramework) -> dict[str, Any]:
    return {
        "id": stored.pk,
        "urn": stored.urn,
        "slug": stored.slug,
        "version": stored.version,
        "name": stored.name,
        "name_en": stored.name_en,
        "item_count": stored.item_count,
    }


def item_out(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "question": _text(item.question),
        "help": _text(item.help),
        "next_step": _text(item.next_step),
        "options": [
            {
                "id": o.id,
                "text": _text(o.label),
                "credit": o.credit,
                "met": o.met,
                "not_applicable": o.not_applicable,
            }
            for o in item.answers.options
        ],
        "weight": item.weight,
        "mandatory": item.mandatory,
        "level": item.level,
        "size_classes": sorted(item.size_classes),
        "csf": list(item.csf),
        "chapter": item.guideline.chapter if item.guideline else None,
    }


def framework_detail_out(stored: StoredFramework, framework: Framework) -> dict[str, Any]:
    return {**framework_out(stored), "items": [item_out(i) for i in framework.items]}


def campaign_out(campaign: Campaign) -> dict[str, Any]:
    try:
        frozen = campaign.snapshot is not None
    except Snapshot.DoesNotExist:
        frozen = False
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "description": campaign.description,
        "owner": {"code": campaign.owner.code, "name": campaign.owner.name},
        "framework_urn": campaign.framework.urn,
        "deadline": campaign.deadline,
        "status": campaign.status,
        "created_at": campaign.created_at,
        "closed_at": campaign.closed_at,
        "frozen": frozen,
    }


def submission_summary_out(submission: Submission) -> dict[str, Any]:
    return {
        "version": submission.version,
        "submitted_at": submission.submitted_at,
        "overall_coverage": submission.overall_coverage,
        "overall_level": submission.overall_level,
        "completeness": submission.completeness,
        "mandatory_unmet": submission.mandatory_unmet,
    }


def submission_out(submission: Submission) -> dict[str, Any]:
    return {
        **submission_summary_out(submission),
        "answers": dict(submission.answers),
        "comments": dict(submission.comments),
    }


def target_out(target: Target) -> dict[str, Any]:
    submission = target.current_submission
    return {
        "id": target.pk,
        "campaign": target.campaign_id,
        "organisation": {"code": target.organisation.code, "name": target.organisation.name},
        "size_class": target.size_class,
        "prefecture_code": target.prefecture_code,
        "status": target.status,
        "current_submission": submission_summary_out(submission) if submission else None,
    }


def working_answer_out(answer: Answer) -> dict[str, Any]:
    return {
        "item_id": answer.item_id,
        "option_id": answer.option_id,
        "comment": answer.comment,
        "assignee": answer.assignee.get_username() if answer.assignee else None,
        "submitted": False,
    }


def submitted_answers_out(submission: Submission | None) -> list[dict[str, Any]]:
    if submission is None:
        return []
    items = sorted(set(submission.answers) | set(submission.comments))
    return [
        {
            "item_id": item_id,
            "option_id": submission.answers.get(item_id, ""),
            "comment": submission.comments.get(item_id, ""),
            "assignee": None,
            "submitted": True,
        }
        for item_id in items
    ]


def review_out(review: Review) -> dict[str, Any]:
    return {
        "decision": review.decision,
        "comment": review.comment,
        "reviewer_organisation": {
            "code": review.reviewer_organisation.code,
            "name": review.reviewer_organisation.name,
        },
        "decided_at": review.decided_at,
        "version": review.submission.version,
    }


def scores_out(target: Target) -> dict[str, Any]:
    submission = target.current_submission
    assert submission is not None
    return {
        "version": submission.version,
        "final": target.in_snapshot,
        "groups": [{"key": key, **figures} for key, figures in submission.scores.items()],
    }


def _comparison(
    metric: str, dimension: str, found: Comparison, names: dict[str, str]
) -> dict[str, Any]:
    d = found.distribution
    return {
        "metric": metric,
        "dimension": dimension,
        "group": d.group.label(names),
        "n": d.n,
        "q1": d.q1,
        "median": d.median,
        "q3": d.q3,
        "value": found.value,
        "percentile": found.percentile,
        "fallback": found.fallback,
    }


def _rate(rate: ItemRate, names: dict[str, str]) -> dict[str, Any]:
    return {
        "item_id": rate.item_id,
        "group": rate.group.label(names),
        "answered": rate.answered,
        "rate": rate.rate,
    }


def peers_out(view: PeerView, names: dict[str, str]) -> dict[str, Any]:
    comparisons = [_comparison(m, "size_class", c, names) for m, c in sorted(view.by_size.items())]
    comparisons += [
        _comparison(m, "prefecture", c, names) for m, c in sorted(view.by_prefecture.items())
    ]
    return {
        "organisations": view.organisations,
        "comparisons": comparisons,
        "item_rates": [_rate(r, names) for _, r in sorted(view.item_rates.items())],
    }


def _rate_out(rate: Rate) -> dict[str, Any]:
    return {
        "key": rate.key,
        "met": rate.met,
        "partly": rate.partial,
        "unmet": rate.unmet,
        "not_applicable": rate.not_applicable,
        "unanswered": rate.unanswered,
        "rate": rate.rate,
    }


def dashboard_out(board: Dashboard) -> dict[str, Any]:
    return {
        "prefecture_code": board.area.prefecture_code,
        "totals": board.totals,
        "items": [_rate_out(r) for r in board.items],
        "chapters": [_rate_out(r) for r in board.chapters],
        "progress": [
            {"prefecture_code": p.key, "name": p.label, "counts": p.counts, "rate": p.rate}
            for p in board.progress
        ],
    }
