"""The surveys of ``make run``: three years of 総務省's implementation survey for the local
governments of two prefectures (東京都 and 大阪府 — 107 organisations, enough for every
peer group of the demo logins to be published, and small enough for a quick demo).

* 令和6年度 and 令和7年度: answered by every organisation and closed, so reports show
  peer comparison and the year-on-year change;
* 令和8年度: open, the deadline five days away — most organisations have submitted,
  千代田区's answers were returned by 東京都 with a comment, and 檜原村 (the one-person IT
  village of ``demo-village``) has answered part of it, so its home page says a deadline
  is near.

Answers are drawn deterministically per organisation (larger organisations implement
more, level-1 and mandatory items more often, each year a little more than the last).
Earlier years are recorded as an operator's import of results collected outside the
platform (``submissions_import``); the rest goes through the same services as a person.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Final

from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.assessments import definitions
from mamoru.assessments.library.loader import FRAMEWORKS_DIR
from mamoru.assessments.models import Campaign, Framework, Target, TargetStatus
from mamoru.assessments.services import (
    AnswerInput,
    answers_save,
    campaign_close,
    campaign_create,
    campaign_freeze,
    framework_load,
    submissions_import,
    target_review,
    target_submit,
)
from mamoru.core.demo import demo_seeder
from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.selectors import organisation_by_code, organisation_list, principal_for

SYSTEM: Final = System("mamoru seed-demo")
PREFECTURES: Final = ("13", "27")
MEASURES: Final = "urn:mamoru:framework:lg-measures:2026"
TITLE: Final = "{year}年度 情報セキュリティ対策の実施状況調査（デモ）"
YEARS: Final = (("令和6", 2), ("令和7", 1), ("令和8", 0))  # (era year, years ago)
VILLAGE, CHIYODA = "133078", "131016"
BASE: Final = {
    "prefecture": 0.82,
    "designated_city": 0.82,
    "core_city": 0.76,
    "special_ward": 0.76,
    "city": 0.68,
    "town": 0.56,
    "village": 0.48,
}


def _answers(framework: Framework, code: str, kind: str, years_ago: int) -> dict[str, str]:
    """One organisation's answers: the same draws every year, against a bar that rises."""
    draws = random.Random(f"mamoru-demo-{code}")  # noqa: S311 - demo data, not security
    bar = BASE[kind] - 0.05 * years_ago
    # About a third of organisations have every baseline (level-1) measure in place by
    # now, some of them since last year: their maturity levels are above 0.
    baseline = draws.random() < BASE[kind] - 0.45 - 0.1 * years_ago
    found = {}
    for item in definitions.definition(framework).items_for(kind):
        chance = bar - 0.12 * (item.level - 1) + (0.08 if item.mandatory else 0.0)
        roll = draws.random()
        if baseline and item.level == 1:
            roll = 0.0
        if roll < chance:
            found[item.id] = "implemented"
        elif roll < chance + 0.14:
            found[item.id] = "partial"
        elif roll > 0.97 and not item.mandatory:
            found[item.id] = "not_applicable"
        else:
            found[item.id] = "not_implemented"
    return found


def _frameworks() -> Framework:
    for path in sorted(FRAMEWORKS_DIR.glob("*.yaml")):
        framework_load(principal=SYSTEM, text=path.read_text(encoding="utf-8"), source=path.name)
    return Framework.objects.get(urn=MEASURES)


def _organisations() -> list[tuple[str, str]]:
    return [
        (o.code, o.kind)
        for code in PREFECTURES
        for o in organisation_list(prefecture_code=code).filter(kind__in=LOCAL_GOVERNMENT_KINDS)
    ]


def _campaign(framework: Framework, era: str, years_ago: int) -> Campaign:
    now = timezone.now()
    sent = now - timedelta(days=365 * years_ago + (40 if years_ago else 25))
    deadline = sent + timedelta(days=60 if years_ago else 30)
    return campaign_create(
        principal=SYSTEM,
        owner=organisation_by_code(code="MIC"),
        framework=framework,
        title=TITLE.format(year=era),
        description="デモ用の調査です。回答はすべて架空のものです。",
        deadline=deadline,
        organisation_codes=[code for code, _ in _organisations()],
        now=sent,
    )


def _person(username: str, code: str) -> Principal | None:
    """A demo login acting in ``code`` (made by ``orgs.demo``), if it exists."""
    user = User.objects.filter(username=username).first()
    return principal_for(user=user, organisation_code=code) if user else None


def _current_year(
    campaign: Campaign, framework: Framework, organisations: list[tuple[str, str]]
) -> None:
    """Most submitted; 千代田区 returned by 東京都; 檜原村 half answered; some not begun."""
    picks = random.Random("mamoru-demo-current")  # noqa: S311 - demo data
    submitted = {
        code: _answers(framework, code, kind, 0)
        for code, kind in organisations
        if code not in {VILLAGE, CHIYODA} and picks.random() < 0.7
    }
    submissions_import(principal=SYSTEM, campaign=campaign, answers=submitted)
    targets = {
        t.organisation.code: t
        for t in Target.objects.unscoped("the demo's own campaign")
        .filter(campaign=campaign, organisation__code__in=[VILLAGE, CHIYODA])
        .select_related("organisation", "campaign__framework")
    }
    chiyoda, village = targets[CHIYODA], targets[VILLAGE]
    answers = _answers(framework, CHIYODA, "special_ward", 0)
    answers_save(
        principal=SYSTEM,
        target=chiyoda,
        answers={k: AnswerInput(v) for k, v in list(answers.items())[:80]},
        action="import",
    )
    ciso = _person("demo-ciso", CHIYODA)
    tokyo = _person("demo-tokyo", "130001")
    if ciso is not None and tokyo is not None:
        target_submit(principal=ciso, target=chiyoda)
        target_review(
            principal=tokyo,
            target=chiyoda,
            decision="returned",
            comment="未回答の項目が残っています。技術的セキュリティの区分を補ってから再提出してください。",
        )
    half = dict(list(_answers(framework, VILLAGE, "village", 0).items())[:40])
    answers_save(
        principal=SYSTEM,
        target=village,
        answers={k: AnswerInput(v) for k, v in half.items()},
        action="import",
    )


@demo_seeder(order=30)
def demo_surveys() -> list[str]:
    """Three years of the survey (created once; later runs change nothing)."""
    framework = _frameworks()
    organisations = _organisations()
    if (
        Campaign.objects.unscoped("the demo's own campaigns")
        .filter(title=TITLE.format(year=YEARS[0][0]))
        .exists()
    ):
        return ["実施状況調査のデモ: 作成済み"]
    for era, years_ago in YEARS:
        campaign = _campaign(framework, era, years_ago)
        if years_ago == 0:
            _current_year(campaign, framework, organisations)
            continue
        answers = {code: _answers(framework, code, kind, years_ago) for code, kind in organisations}
        submissions_import(
            principal=SYSTEM,
            campaign=campaign,
            answers=answers,
            submitted_at=campaign.deadline - timedelta(days=5),
            accept=True,
        )
        campaign_close(principal=SYSTEM, campaign=campaign, now=campaign.deadline)
        campaign_freeze(principal=SYSTEM, campaign=campaign)
    answered = (
        Target.objects.unscoped("counting the demo")
        .filter(status__in=[TargetStatus.SUBMITTED, TargetStatus.ACCEPTED])
        .count()
    )
    return [
        f"実施状況調査のデモ: {len(organisations)}団体 × 3年度（提出 {answered}件）"
        " — /assessments/ で回答、報告書、集計を確認できます",
    ]
