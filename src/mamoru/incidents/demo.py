"""The demo incident of ``make run``: one submitted report of 千代田区 that reaches the
inboxes of 東京都, 総務省 and 個人情報保護委員会 (the demo people of ``seed_demo``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from mamoru.core.demo import demo_seeder
from mamoru.incidents import selectors, services
from mamoru.incidents.models import IncidentReport
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import principal_for

CHIYODA = "131016"
DEMO_TITLE = "【デモ】窓口端末のマルウェア感染による住民情報の漏えいのおそれ"


def demo_content(*, now: Any = None) -> dict[str, Any]:
    """A report of 120 people's data (so PPC receives it), its cause TLP:RED for PPC."""
    now = now or timezone.now()
    aware = now - timedelta(hours=20)
    return {
        "title": DEMO_TITLE,
        "facts": {
            "category": "malware",
            "severity": "high",
            "timeline": {
                "started": (aware - timedelta(hours=6)).isoformat(),
                "aware": aware.isoformat(),
                "determined": (aware + timedelta(hours=4)).isoformat(),
            },
            "segments": ["lgwan"],
            "services": [{"kind": "resident_registry"}],
            "personal_data": {"kinds": ["氏名", "住所", "生年月日"], "people": 120},
            "police_consulted": True,
        },
        "sections": {
            "overview": "住民課の窓口端末1台がマルウェアに感染し、外部へ不審な通信を行った。",
            "personal_data": "端末に保存されていた住民120人分の氏名・住所・生年月日。",
            "cause": "職員がメールの添付ファイルを開いたことによる感染とみられる（調査中）。",
            "actions": "該当端末をネットワークから切り離し、全端末のウイルス検査を実施中。",
            "impact": "窓口業務は別の端末で継続しており、住民サービスへの影響はない。",
            "police": "警視庁のサイバー犯罪相談窓口に相談済み。",
        },
        "contact": {"name": "情報政策課 デモ担当", "phone": "03-0000-0000"},
        "tlp": "amber",
        "section_tlp": {"cause": "red"},
        "red_recipients": {"cause": ["PPC"]},
    }


def _principal(username: str) -> Principal | None:
    user = get_user_model().objects.filter(username=username).first()
    return None if user is None else principal_for(user=user, organisation_code=CHIYODA)


def seed_demo_incident() -> IncidentReport | None:
    """Create and submit the demo report once (idempotent); None without the demo people."""
    editor, ciso = _principal("demo-chiyoda"), _principal("demo-ciso")
    if editor is None or ciso is None:
        return None
    existing = selectors.reports_own(principal=editor).filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    report = services.report_create(principal=editor, content=demo_content())
    report = services.report_request_approval(report=report, principal=editor)
    services.report_approve_and_submit(report=report, principal=ciso)
    return report


@demo_seeder(order=50)
def demo_incident() -> list[str]:
    report = seed_demo_incident()
    if report is None:
        return []
    return ["デモのインシデント報告: 千代田区 → 東京都・総務省・個人情報保護委員会"]
