"""Every choice and label of the incident pages in plain words, translatable.

The routing library is pure Python and speaks Japanese only (its labels are also what the
exports print); the pages take their words from here instead, through gettext, so that an
English page shows English choices. Each choice carries a sentence saying what it means,
for a person without security training.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

Label = str | Promise

CATEGORIES: Final[dict[str, tuple[Label, Label]]] = {
    "ransomware": (
        _("ランサムウェア"),
        _("ファイルが暗号化されて開けない、身代金を求める画面やファイルが出た。"),
    ),
    "unauthorised_access": (
        _("不正アクセス"),
        _("だれかが権限なくシステムやメールに入った、又は入ったおそれがある。"),
    ),
    "data_leak": (
        _("情報漏えい"),
        _("情報が外部に出た、又は出たおそれがある（原因が攻撃でなくても）。"),
    ),
    "ddos": (
        _("DDoS攻撃"),
        _("大量の通信でホームページやサービスが見られない、遅い。"),
    ),
    "web_defacement": (
        _("ウェブサイト改ざん"),
        _("ホームページの内容が勝手に書き換えられた。"),
    ),
    "malware": (
        _("マルウェア感染"),
        _("パソコンやサーバーがウイルスなどの不正なプログラムに感染した。"),
    ),
    "media_loss_theft": (
        _("媒体の紛失"),
        _("USBメモリ、パソコン、書類などをなくした。"),
    ),
    "media_theft": (
        _("媒体の盗難"),
        _("USBメモリ、パソコン、書類などを盗まれた。"),
    ),
    "misdelivery": (
        _("誤送付・誤送信"),
        _("メールや郵便を、送るべきでない相手に送ってしまった。"),
    ),
    "system_failure": (
        _("システム障害"),
        _("攻撃ではない故障や不具合で、システムが止まった。"),
    ),
    "other": (_("その他"), _("上のどれにも当てはまらない。迷ったらこれを選んでください。")),
}

SEVERITIES: Final[dict[str, tuple[Label, Label]]] = {
    "low": (_("低"), _("業務への影響はほとんどなく、情報も漏れていない。")),
    "medium": (_("中"), _("一部の業務に影響がある、又は少しの情報が漏れたおそれがある。")),
    "high": (
        _("高"),
        _("業務や住民サービスが止まっている、又は多くの情報が漏れたおそれがある。"),
    ),
    "critical": (
        _("緊急"),
        _("団体全体の業務が止まっている、又は被害が広がり続けている。"),
    ),
}

# The 三層の対策 (three-layer model) of 総務省's guideline, in the words staff use.
SEGMENTS: Final[dict[str, tuple[Label, Label]]] = {
    "my_number": (
        _("マイナンバー利用事務系"),
        _("住民記録・税・福祉など、マイナンバーを使う基幹系のシステムとその端末。"),
    ),
    "lgwan": (
        _("LGWAN接続系"),
        _("庁内の事務用パソコン、財務会計、文書管理など、LGWANにつながる環境。"),
    ),
    "internet": (
        _("インターネット接続系"),
        _("ホームページ、インターネットメール、ウェブ閲覧など、インターネットにつながる環境。"),
    ),
}

# TLP 2.0 (FIRST), each level as a person receiving the report may use it.
TLPS: Final[dict[str, tuple[Label, Label]]] = {
    "clear": (_("TLP:CLEAR（公開してよい）"), _("だれに見せても、公表してもかまいません。")),
    "green": (
        _("TLP:GREEN（関係機関の中で共有してよい）"),
        _("受け取った機関が、自治体やセキュリティ関係の機関の間で共有できます。公表はしません。"),
    ),
    "amber": (
        _("TLP:AMBER（受け取った組織の中で、必要な人だけ）"),
        _(
            "受け取った機関の中と、その委託先などのうち対応に必要な人だけが読めます。"
            "迷ったらこれを選んでください。"
        ),
    ),
    "amber+strict": (
        _("TLP:AMBER+STRICT（受け取った組織の中だけ）"),
        _("受け取った機関の中の、必要な人だけが読めます。委託先などには渡しません。"),
    ),
    "red": (
        _("TLP:RED（受け取った人だけ）"),
        _("受け取った担当者だけが読めます。組織の中でも共有しません。"),
    ),
}

SECTIONS: Final[dict[str, Label]] = {
    "overview": _("概要"),
    "category": _("インシデントの種別"),
    "timeline": _("経緯・日時"),
    "systems": _("影響を受けたシステム・ネットワーク区分"),
    "services": _("影響を受けた業務・サービス"),
    "personal_data": _("個人情報の項目・本人の数"),
    "cause": _("原因"),
    "secondary_damage": _("二次被害又はそのおそれ"),
    "actions": _("対応状況・再発防止策"),
    "notification": _("本人への対応"),
    "impact": _("住民・業務への影響"),
    "announcement": _("公表の状況"),
    "police": _("警察への相談"),
    "contractor": _("委託先の関与"),
    "contact": _("連絡先"),
}

PHASES: Final[dict[str, Label]] = {
    "preliminary": _("第一報"),
    "interim": _("続報"),
    "final": _("確報"),
}

# National bodies by the codes of ``routing.codes.NATIONAL_BODIES``.
BODIES: Final[dict[str, Label]] = {
    "MIC": _("総務省"),
    "NCO": _("国家サイバー統括室"),
    "PPC": _("個人情報保護委員会"),
    "NPA": _("警察庁"),
    "DA": _("デジタル庁"),
    "JLIS": _("地方公共団体情報システム機構"),
    "MHLW": _("厚生労働省"),
    "MEXT": _("文部科学省"),
    "MLIT": _("国土交通省"),
    "CFA": _("こども家庭庁"),
}

TIMINGS: Final[dict[str, Label]] = {
    "fixed": _("期限"),
    "promptly": _("速やかに（目安）"),
    "immediately": _("直ちに（目安）"),
}

TRIGGERS: Final[dict[str, Label]] = {
    "aware": _("認知"),
    "determined": _("報告が必要な事態だと知った時点"),
    "approved": _("報告の承認"),
    "submitted": _("第一報の提出"),
}

OBLIGATIONS: Final[dict[str, Label]] = {
    "law": _("法令上の義務"),
    "guidance": _("国のガイドライン等による報告"),
    "policy": _("本システムの運用方針"),
}

# 重大インシデント: mamoru's working threshold. No law defines it for a local government;
# the rules send a serious incident to the prefecture and 総務省 "immediately" (1 hour),
# and to 国家サイバー統括室 when it is also a cyber attack (rules/routing-*.yaml).
SERIOUS_THRESHOLD: Final = _(
    "次のどれかに当てはまれば「重大」です: 住民向けのサービスや窓口業務が止まった"
    "（又は半日以上止まりそう）／要配慮個人情報や100人を超える個人情報が漏れた"
    "（おそれを含む）／ランサムウェアでデータが暗号化された／マイナンバー利用事務系"
    "やLGWAN接続系に被害が広がった。重大にすると、都道府県と総務省に「直ちに」"
    "（目安1時間）届き、サイバー攻撃なら国家サイバー統括室にも届きます。迷ったら"
    "「重大」を選んでください。早く届くだけで、不利益はありません。"
)


def label(table: Mapping[str, tuple[Label, Label]] | Mapping[str, Label], key: str) -> str:
    """The label of ``key`` in one of the tables above (the key itself when unknown)."""
    found = table.get(key)
    if found is None:
        return key
    return str(found[0] if isinstance(found, tuple) else found)


def body_name(code: str, name: str) -> str:
    """A recipient's name in the page's language: national bodies translated, a
    prefecture (a proper noun) as it is."""
    return str(BODIES.get(code, name))


def when(moment: datetime | str | None) -> str:
    """A moment in the one calendar style of the pages: ``2026年1月5日 09:30`` (the
    Western calendar in Japan time; 和暦 is for the documents that need it, the exports),
    or ``5 Jan 2026 09:30`` on an English page."""
    if moment is None or moment == "":
        return ""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    local = timezone.localtime(value)
    if (get_language() or "ja").startswith("en"):
        return f"{local.day} {local:%b} {local.year} {local:%H:%M}"
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
