"""What the progress app adds to the shell: the menu (progress, notices, questions and the
FAQ), the home panel, and the items of "what needs attention" — last month's report still
owed, notices to confirm, a prefecture's question about a delay, questions to answer —
each linking to the thing itself. Registered when ``ProgressConfig.ready()`` imports it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.core.access import Permission
from mamoru.core.navigation import (
    Attention,
    Level,
    NavEntry,
    Panel,
    Section,
    attention_check,
    home_panel,
    nav_entry,
)
from mamoru.orgs import audiences
from mamoru.orgs.principal import Principal
from mamoru.progress import selectors

MAX_ENTRIES = 10
PANEL_ROWS = 5


nav_entry(
    NavEntry(
        key="progress.campaigns",
        section=Section.SURVEYS,
        label=gettext_lazy("進捗管理"),
        url_name="progress:campaigns",
        order=30,
        description=gettext_lazy(
            "業務システムの標準化などの進み具合を毎月報告し、都道府県・国の集計を見ます。"
        ),
        show=audiences.local_or_supervisor,
    )
)
nav_entry(
    NavEntry(
        key="progress.notices",
        section=Section.SHARING,
        label=gettext_lazy("お知らせ"),
        url_name="progress:notices",
        order=32,
        description=gettext_lazy(
            "国や都道府県からのお知らせを読み、内容を確認したことを伝えます。"
        ),
        show=audiences.reads,
    )
)
nav_entry(
    NavEntry(
        key="progress.questions",
        section=Section.SHARING,
        label=gettext_lazy("質問"),
        url_name="progress:questions",
        order=34,
        description=gettext_lazy("都道府県や国に質問し、回答を受け取ります。"),
        show=audiences.local_or_supervisor,
    )
)
nav_entry(
    NavEntry(
        key="progress.faq",
        section=Section.SHARING,
        label=gettext_lazy("よくある質問"),
        url_name="progress:faq",
        order=36,
        description=gettext_lazy("これまでの質問と回答を、キーワードで探せます。"),
        show=audiences.reads,
    )
)


def _panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    """The campaigns one takes part in or supervises, and the newest notices."""
    if not audiences.reads(principal):
        return None
    assert principal is not None
    campaigns = list(selectors.campaigns_visible(principal=principal)[:PANEL_ROWS])
    notices = list(selectors.notices_received(principal=principal)[:PANEL_ROWS])
    if not campaigns and not notices:
        return None
    return {"campaigns": campaigns, "notices": notices}


home_panel(Panel("progress.overview", "progress/panels/overview.html", 30, _panel))


@attention_check
def progress_reports_due(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.can(Permission.DATA_EDIT):
        return None
    due = selectors.reports_due(principal=principal)
    if not due:
        return None
    first = due[0]
    return Attention(
        key="progress-reports-due",
        level=Level.DANGER if any(d.overdue for d in due) else Level.WARNING,
        title=_("先月の進捗報告を提出してください"),
        detail=_("変更がなければ「前月から変更なし」の一度の操作で提出できます。"),
        url=reverse(
            "progress:report",
            kwargs={
                "key": first.campaign.key,
                "code": principal.organisation.code,
                "month": first.month,
            },
        ),
        action=_("報告を開く"),
        entries=[
            _("%(title)s: %(month)s分（期限 %(deadline)s）")
            % {
                "title": d.campaign.title,
                "month": f"{d.month:%Y年%m月}",
                "deadline": f"{d.deadline:%m月%d日}",
            }
            for d in due[:MAX_ENTRIES]
        ],
    )


@attention_check
def progress_notices_to_confirm(
    request: HttpRequest, principal: Principal | None
) -> Attention | None:
    if principal is None or not principal.can(Permission.DATA_EDIT):
        return None
    pending = list(selectors.notices_unconfirmed(principal=principal)[:MAX_ENTRIES])
    if not pending:
        return None
    return Attention(
        key="progress-notices-to-confirm",
        level=Level.WARNING,
        title=_("内容の確認を求められているお知らせがあります（%(count)d件）")
        % {"count": len(pending)},
        detail=_("お知らせを読み、「内容を確認しました」を押してください。"),
        url=reverse("progress:notice", args=[pending[0].notice_id]),
        action=_("お知らせを開く"),
        entries=[
            _("%(title)s（期限 %(due)s）")
            % {"title": d.notice.title, "due": f"{d.notice.confirm_by:%m月%d日}"}
            for d in pending
        ],
    )


@attention_check
def progress_follow_ups(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.can(Permission.DATA_EDIT):
        return None
    asked = list(selectors.follow_ups_unanswered(principal=principal)[:MAX_ENTRIES])
    if not asked:
        return None
    first = asked[0]
    return Attention(
        key="progress-follow-ups",
        level=Level.WARNING,
        title=_("都道府県から進捗の遅れについて問合せがあります"),
        detail=_("進捗管理のページで回答してください。"),
        url=reverse(
            "progress:organisation",
            kwargs={"key": first.campaign.key, "code": principal.organisation.code},
        ),
        action=_("問合せを開く"),
        entries=[f.text[:80] for f in asked],
    )


@attention_check
def progress_questions_to_answer(
    request: HttpRequest, principal: Principal | None
) -> Attention | None:
    if principal is None or not principal.can(Permission.DATA_EDIT):
        return None
    waiting = list(selectors.questions_to_answer(principal=principal)[:MAX_ENTRIES])
    if not waiting:
        return None
    return Attention(
        key="progress-questions-to-answer",
        level=Level.INFO,
        title=_("回答を待っている質問があります（%(count)d件）") % {"count": len(waiting)},
        detail=_("回答するか、都道府県の場合は国のヘルプデスクに転送してください。"),
        url=reverse("progress:question", args=[waiting[0].pk])
        if len(waiting) == 1
        else reverse("progress:questions"),
        action=_("質問を開く"),
        entries=[f"{q.organisation.name}: {q.title}" for q in waiting],
    )
