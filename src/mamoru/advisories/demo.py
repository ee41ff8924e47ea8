"""The advisories demo of ``make run``: an advisory of the nation to every local
government (千代田区 has answered it) and a phishing mail 檜原村 shared back."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from mamoru.advisories import selectors, services
from mamoru.advisories.testing import vpn_content
from mamoru.core.demo import demo_seeder
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import principal_for
from mamoru.progress.audience import Audience, AudienceKind

TITLE = "【デモ】VPN装置の脆弱性を悪用した侵入への注意喚起"


def _principal(username: str, code: str) -> Principal | None:
    user = get_user_model().objects.filter(username=username).first()
    return None if user is None else principal_for(user=user, organisation_code=code)


@demo_seeder(order=61)
def demo_advisories() -> list[str]:
    nation = _principal("demo-nation", "MIC")
    chiyoda = _principal("demo-chiyoda", "131016")
    village = _principal("demo-village", "133078")
    if nation is None or chiyoda is None or village is None:
        return []
    if selectors.advisories_sent(principal=nation).filter(title=TITLE).exists():
        return []
    advisory = services.advisory_publish(
        principal=nation,
        content=vpn_content(
            title=TITLE,
            summary="多くの団体が使う**VPN装置**の脆弱性を悪用した侵入が国内で確認されています（デモ）。",
        ),
        audience=Audience(kind=AudienceKind.ALL),
    )
    own = selectors.advisory_get(principal=chiyoda, public_id=advisory.public_id).delivery
    if own is not None:
        services.advisory_answer(
            principal=chiyoda, delivery=own, answer="fixed", note="修正版に更新済み（デモ）"
        )
    services.share_create(
        principal=village,
        kind="phishing",
        title="【デモ】税務課あてに届いた請求書を装うメール",
        body="添付ファイルは開かずに削除しました。同じ差出人のメールが他の団体にも届いていないか確認してください。",
        indicators=["invoice-center@example.net", "https://example.net/invoice"],
        tlp="green",
    )
    return [f"デモの注意喚起: {TITLE}（すべての地方公共団体）"]
