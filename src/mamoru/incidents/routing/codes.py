"""The vocabulary rule files may use: recipient codes, report sections, phases and triggers.

National bodies have stable codes (the same ones the organisation registry uses). Two
placeholders are resolved per report: ``@prefecture`` (the reporter's own prefecture) and
``@ministry`` (the ministries in charge of the affected services).
"""

from __future__ import annotations

import enum
from typing import Final

PREFECTURE: Final = "@prefecture"
MINISTRY: Final = "@ministry"

NATIONAL_BODIES: Final[dict[str, str]] = {
    "MIC": "総務省",
    "NCO": "国家サイバー統括室",
    "PPC": "個人情報保護委員会",
    "NPA": "警察庁",
    "DA": "デジタル庁",
    "JLIS": "地方公共団体情報システム機構",
    "MHLW": "厚生労働省",
    "MEXT": "文部科学省",
    "MLIT": "国土交通省",
    "CFA": "こども家庭庁",
}

RECIPIENT_CODES: Final = frozenset(NATIONAL_BODIES) | {PREFECTURE, MINISTRY}

# The parts of a report a recipient can be granted. Labels are what recipients read.
SECTIONS: Final[dict[str, str]] = {
    "overview": "概要",
    "category": "インシデントの種別",
    "timeline": "経緯・日時",
    "systems": "影響を受けたシステム・ネットワーク区分",
    "services": "影響を受けた業務・サービス",
    "personal_data": "個人情報の項目・本人の数",
    "cause": "原因",
    "secondary_damage": "二次被害又はそのおそれ",
    "actions": "対応状況・再発防止策",
    "notification": "本人への対応",
    "impact": "住民・業務への影響",
    "announcement": "公表の状況",
    "police": "警察への相談",
    "contractor": "委託先の関与",
    "contact": "連絡先",
}


class Phase(enum.StrEnum):
    PRELIMINARY = "preliminary"  # 第一報・速報
    FINAL = "final"  # 確報

    @property
    def label(self) -> str:
        return {Phase.PRELIMINARY: "第一報（速報）", Phase.FINAL: "確報"}[self]


class Trigger(enum.StrEnum):
    """The moment a deadline counts from."""

    AWARE = "aware"  # the body noticed the incident
    DETERMINED = "determined"  # the body knew it is a reportable incident
    APPROVED = "approved"  # the CISO approved the report
    SUBMITTED = "submitted"  # the first report was submitted

    @property
    def label(self) -> str:
        return {
            Trigger.AWARE: "認知",
            Trigger.DETERMINED: "報告対象事態を知った時点",
            Trigger.APPROVED: "報告の承認",
            Trigger.SUBMITTED: "第一報の提出",
        }[self]


class Obligation(enum.StrEnum):
    """Why a recipient gets the report: a legal duty, a government guidance, or our policy."""

    LAW = "law"
    GUIDANCE = "guidance"
    POLICY = "policy"

    @property
    def label(self) -> str:
        return {
            Obligation.LAW: "法令上の義務",
            Obligation.GUIDANCE: "国のガイドライン等による報告",
            Obligation.POLICY: "本システムの運用方針",
        }[self]
