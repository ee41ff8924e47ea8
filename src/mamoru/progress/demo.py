"""The progress demo of ``make run``: a campaign of the example plan (clearly marked as
an example) over two prefectures' local governments with twelve months of reports and
late items, last month's report of 千代田区 submitted through the services while 檜原村
still owes its own, 東京都's follow-up and an escalation to the nation, notices from the
nation and from 東京都, and a question of 千代田区 that became an FAQ entry — beside two
FAQ entries written directly, so that searching 「ランサム」 finds something."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from mamoru.core.demo import demo_seeder
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.selectors import organisation_by_code, organisation_list, principal_for
from mamoru.progress import selectors, services
from mamoru.progress.audience import Audience, AudienceKind
from mamoru.progress.lateness import add_months, month_of, month_range
from mamoru.progress.models import Campaign, FaqEntry, Notice
from mamoru.progress.testing import bulk_history, example_plan, submit_month

KEY = "standardisation-demo"
PREFECTURES = ("13", "39")  # 東京都, 高知県: small enough to seed in a few seconds
HISTORY_MONTHS = 12
CHIYODA, HINOHARA, TOKYO = "131016", "133078", "130001"


def _principal(username: str, code: str) -> Principal | None:
    user = get_user_model().objects.filter(username=username).first()
    return None if user is None else principal_for(user=user, organisation_code=code)


def seed_campaign() -> Campaign | None:
    """The demo campaign with its history (once; None without the organisations)."""
    existing = Campaign.objects.filter(key=KEY).first()
    if existing is not None:
        return existing
    codes = list(
        organisation_list()
        .filter(prefecture_code__in=PREFECTURES)
        .exclude(kind="national")
        .values_list("code", flat=True)
    )
    if not codes:
        return None
    this_month = month_of(timezone.localdate())
    start = add_months(this_month, -HISTORY_MONTHS)
    campaign = services.campaign_create(
        principal=System("mamoru seed-demo"),
        plan=example_plan(),
        key=KEY,
        title="【デモ】基幹業務システムの標準化・移行（20業務×40ステップ、例示用の計画）",
        start_month=start,
        audience=Audience(kind=AudienceKind.LIST, codes=tuple(codes)),
        owner=organisation_by_code(code="MIC"),
    )
    history = month_range(start, add_months(this_month, -2))
    others = [c for c in codes if c not in {CHIYODA, HINOHARA}]
    bulk_history(campaign, others, month_range(start, add_months(this_month, -1)))
    bulk_history(campaign, [CHIYODA, HINOHARA], history, silent_share=0)
    last_month = add_months(this_month, -1)
    submit_month(campaign, CHIYODA, last_month, {"01": 24, "02": 24, "09": 14, "17": 22})
    services.campaign_rollups_refresh(campaign=campaign)
    return campaign


def seed_follow_up(campaign: Campaign) -> None:
    tokyo = _principal("demo-tokyo", TOKYO)
    if (
        tokyo is None
        or selectors.follow_ups_of(
            principal=tokyo, campaign=campaign, organisation=organisation_by_code(code=HINOHARA)
        ).exists()
    ):
        return
    hinohara = organisation_by_code(code=HINOHARA)
    services.follow_up_create(
        principal=tokyo,
        campaign=campaign,
        organisation=hinohara,
        kind="asked",
        text="戸籍と住民基本台帳の移行が計画より遅れています。事業者との調整の見通しを教えてください。",
    )
    services.follow_up_create(
        principal=tokyo,
        campaign=campaign,
        organisation=hinohara,
        kind="escalated",
        text="村の情報担当は1人で、事業者の体制も不足しています。国の支援（人材の派遣）を相談したいです。",
    )


def seed_notices() -> int:
    nation, tokyo = _principal("demo-nation", "MIC"), _principal("demo-tokyo", TOKYO)
    if nation is None or tokyo is None:
        return 0
    made = 0
    if not selectors.notices_sent(principal=nation).filter(title__startswith="【デモ】").exists():
        services.notice_publish(
            principal=nation,
            title="【デモ】移行スケジュールの再確認のお願い",
            body=(
                "各団体の担当者様\n\n"
                "## お願い\n\n"
                "- 進捗管理の**今月分の報告**を、翌月10日までに提出してください。\n"
                "- 計画より2か月以上遅れている業務は、遅れの理由を選んでください。\n\n"
                "| 項目 | 期限 |\n|---|---|\n| 月次報告 | 翌月10日 |\n\n"
                "このお知らせはデモ用です。"
            ),
            audience=Audience(kind=AudienceKind.ALL),
            confirm_by=timezone.localdate() + timedelta(days=5),
        )
        made += 1
    if not selectors.notices_sent(principal=tokyo).filter(title__startswith="【デモ】").exists():
        services.notice_publish(
            principal=tokyo,
            title="【デモ】都内市区町村向け移行説明会の開催",
            body="来月、都庁で標準化・移行の説明会を開きます。参加者を確認してください（デモ）。",
            audience=Audience(kind=AudienceKind.ALL),
        )
        made += 1
    return made


def seed_faq() -> int:
    chiyoda = _principal("demo-chiyoda", CHIYODA)
    tokyo, nation = _principal("demo-tokyo", TOKYO), _principal("demo-nation", "MIC")
    if chiyoda is None or tokyo is None or nation is None:
        return 0
    if FaqEntry.objects.filter(title__contains="オフラインのバックアップ").exists():
        return 0
    question = services.question_ask(
        principal=chiyoda,
        category="security",
        title="標準化後のランサムウェア対策としてのバックアップ",
        body="千代田区情報政策課です。ガバメントクラウドへ移行した後も、オフラインのバックアップは必要ですか。",
        may_name_organisation=False,
    )
    services.question_forward(principal=tokyo, question=question, note="国の考え方を伺いたいです。")
    services.question_answer(
        principal=nation,
        question=question,
        answer=(
            "必要です。クラウド上のバックアップも暗号化されるおそれがあるため、"
            "**ネットワークから切り離した**バックアップを少なくとも1つ持ってください（デモの回答）。"
        ),
    )
    services.faq_publish(
        principal=nation,
        question=question,
        title="移行後もランサムウェアに備えたオフラインのバックアップは必要ですか",
        body="ガバメントクラウドへ移行した後の、ランサムウェア対策としてのバックアップについての質問です。",
        answer=question.answer,
        category="security",
    )
    services.faq_publish(
        principal=nation,
        title="ランサムウェアに感染したとき、まず何をすればよいですか",
        body="感染が疑われるときの初動についての質問です。",
        answer="1. 端末をネットワークから切り離す\n2. 電源は切らずに、都道府県と警察に連絡する\n\n（デモの回答）",
        category="security",
    )
    services.faq_publish(
        principal=nation,
        title="月次報告の「前月から変更なし」はいつ使えますか",
        body="進捗管理の報告についての質問です。",
        answer="前月までに提出した報告があり、どの業務も進んでいない月に使えます（デモの回答）。",
        category="standardisation",
    )
    return 3


@demo_seeder(order=60)
def demo_progress() -> list[str]:
    campaign = seed_campaign()
    if campaign is None:
        return []
    seed_follow_up(campaign)
    seed_notices()
    seed_faq()
    notices = Notice.objects.unscoped("the demo counts what it made").filter(
        title__startswith="【デモ】"
    )
    return [
        f"デモの進捗管理: {campaign.title}（東京都・高知県の団体、12か月分の報告）",
        f"デモのお知らせ: {notices.count()}件、よくある質問: {FaqEntry.objects.count()}件",
    ]
