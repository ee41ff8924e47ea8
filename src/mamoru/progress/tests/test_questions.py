"""Questions become FAQ: a municipality asks, its prefecture forwards to the nation with a
note, the nation answers, and the answer is published anonymised — each step seen only
by those it concerns. The FAQ search finds words inside longer words."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mamoru.core.exceptions import StateConflict
from mamoru.progress import selectors, services
from mamoru.progress.models import FaqEntry, Question, QuestionStatus
from mamoru.progress.testing import principal
from mamoru.testing import Cast, SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(cast: Cast) -> Question:
    return services.question_ask(
        principal=principal(cast.chiyoda),
        category="security",
        title="千代田区: ランサムウェア対策のバックアップ",
        body="千代田区情報政策課です。標準化後のバックアップはオフラインで保管すべきですか。",
        may_name_organisation=False,
    )


def test_a_municipality_asks_its_prefecture(cast: Cast, question: Question) -> None:
    assert question.assignee.code == "130001"
    assert question.status == QuestionStatus.OPEN
    tokyo = principal(cast.tokyo)
    assert list(selectors.questions_to_answer(principal=tokyo)) == [question]
    assert list(selectors.questions_to_answer(principal=principal(cast.nation))) == []


@pytest.mark.parametrize("who", ["hachioji", "osaka", "osaka_city", "nation", "outsider"])
def test_others_cannot_read_the_question(
    cast: Cast, question: Question, signed_in: SignIn, who: str
) -> None:
    client = signed_in(getattr(cast, who))
    response = client.get(reverse("progress:question", args=[question.pk]))
    assert response.status_code in (403, 404)
    api = signed_in(getattr(cast, who), api=True).get(f"/api/v1/progress/questions/{question.pk}/")
    assert api.status_code in (403, 404)
    assert "ランサムウェア" not in api.content.decode()


def test_the_whole_path_to_an_anonymous_faq_entry(cast: Cast, question: Question) -> None:
    tokyo, nation = principal(cast.tokyo), principal(cast.nation)
    with pytest.raises(PermissionDenied):
        services.question_answer(principal=nation, question=question, answer="早すぎる")
    services.question_forward(principal=tokyo, question=question, note="国の見解をお願いします")
    assert question.status == QuestionStatus.FORWARDED
    assert selectors.question_get(principal=nation, pk=question.pk) == question
    assert selectors.question_get(principal=tokyo, pk=question.pk) == question  # still its own
    with pytest.raises(PermissionDenied):  # it is the nation's to answer now
        services.question_forward(principal=tokyo, question=question, note="again")
    services.question_answer(
        principal=nation, question=question, answer="はい。**3-2-1ルール**を参考にしてください。"
    )
    entry = services.faq_publish(
        principal=nation,
        question=question,
        title="ランサムウェア対策のバックアップはオフラインで保管すべきですか",
        body="標準化後のバックアップの保管方法についての質問です。",
        answer=question.answer,
        category="security",
        name_organisation=True,  # asked for, but the asker did not agree
    )
    assert entry.asked_by_label == ""
    assert "千代田区" not in entry.title + entry.body + entry.answer
    with pytest.raises(StateConflict):
        services.faq_publish(
            principal=nation, question=question, title="t", body="b", answer="a", category="other"
        )


def test_the_asker_may_agree_to_be_named(cast: Cast) -> None:
    asked = services.question_ask(
        principal=principal(cast.hachioji),
        category="budget",
        title="補助金の対象",
        body="移行の補助金の対象経費を教えてください。",
        may_name_organisation=True,
    )
    tokyo = principal(cast.tokyo)
    services.question_answer(principal=tokyo, question=asked, answer="通知を参照してください。")
    entry = services.faq_publish(
        principal=tokyo,
        question=asked,
        title="補助金の対象経費",
        body=asked.body,
        answer=asked.answer,
        category="budget",
        name_organisation=True,
    )
    assert entry.asked_by_label == "八王子市"


def publish(cast: Cast, title: str, answer: str = "回答") -> FaqEntry:
    return services.faq_publish(
        principal=principal(cast.nation),
        title=title,
        body="質問の内容",
        answer=answer,
        category="security",
    )


def found(cast: Cast, query: str) -> list[str]:
    return [e.title for e in selectors.faq_search(principal=principal(cast.chiyoda), query=query)]


def test_the_faq_search_finds_part_of_a_word_in_japanese(cast: Cast) -> None:
    publish(cast, "ランサムウェアに感染したときの初動")
    publish(cast, "VPN装置の更新", answer="ランサムウェアの侵入口になります。")
    publish(cast, "標準化の移行スケジュール")
    publish(cast, "サムネイルとランダムな名前")  # has ラン and サム, never ランサム
    assert found(cast, "ランサム") == ["ランサムウェアに感染したときの初動", "VPN装置の更新"]
    assert found(cast, "らんさむ") == found(cast, "ﾗﾝｻﾑ") == found(cast, "ランサム")
    assert found(cast, "vpn 更新") == ["VPN装置の更新"]
    assert found(cast, "移行") == ["標準化の移行スケジュール"]
    assert found(cast, "化") == ["標準化の移行スケジュール"]  # one character: contains
    assert found(cast, "クラウド") == []
    assert len(found(cast, "")) == 4


def test_the_faq_page_searches_and_everyone_signed_in_reads_it(
    cast: Cast, signed_in: SignIn
) -> None:
    entry = publish(cast, "ランサムウェアに感染したときの初動", answer="# 手順\n\n1. 切り離す")
    page = signed_in(cast.osaka_city).get(reverse("progress:faq") + "?q=ランサム")
    assert "ランサムウェアに感染したときの初動" in page.content.decode()
    detail = (
        signed_in(cast.ppc).get(reverse("progress:faq_entry", args=[entry.pk])).content.decode()
    )
    assert "<h3>手順</h3>" in detail
    assert (
        signed_in(cast.chiyoda).get(reverse("progress:faq_edit", args=[entry.pk])).status_code
        == 403
    )
