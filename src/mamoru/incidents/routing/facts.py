"""What routing needs to know about an incident report, as frozen, typed records.

The Django models of a report are mapped to :class:`IncidentFacts` by the incidents app;
routing never sees a model, a form or a request. Every timestamp is timezone-aware:
deadlines are legal instants, and a naive time would be a guess about the zone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from mamoru.incidents.routing.codes import NATIONAL_BODIES


class Category(enum.StrEnum):
    RANSOMWARE = "ransomware"
    UNAUTHORISED_ACCESS = "unauthorised_access"
    DATA_LEAK = "data_leak"
    DDOS = "ddos"
    WEB_DEFACEMENT = "web_defacement"
    MALWARE = "malware"
    MEDIA_LOSS_THEFT = "media_loss_theft"  # loss; the value predates MEDIA_THEFT
    MEDIA_THEFT = "media_theft"
    MISDELIVERY = "misdelivery"
    SYSTEM_FAILURE = "system_failure"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS: Final[dict[Category, str]] = {
    Category.RANSOMWARE: "ランサムウェア",
    Category.UNAUTHORISED_ACCESS: "不正アクセス",
    Category.DATA_LEAK: "情報漏えい",
    Category.DDOS: "DDoS攻撃",
    Category.WEB_DEFACEMENT: "ウェブサイト改ざん",
    Category.MALWARE: "マルウェア感染",
    Category.MEDIA_LOSS_THEFT: "媒体の紛失",
    Category.MEDIA_THEFT: "媒体の盗難",
    Category.MISDELIVERY: "誤送付・誤送信",
    Category.SYSTEM_FAILURE: "システム障害",
    Category.OTHER: "その他",
}


# Categories whose cause is a cyber attack unless the report says otherwise.
CYBER_ATTACK_CATEGORIES: Final = frozenset(
    {
        Category.RANSOMWARE,
        Category.UNAUTHORISED_ACCESS,
        Category.DDOS,
        Category.WEB_DEFACEMENT,
        Category.MALWARE,
    }
)


# Categories that are in themselves an act with an improper purpose (不正の目的をもって行われた
# おそれがある行為) when personal data is involved: 施行規則第43条第3号 and 番号法の報告規則
# 第2条第2号イ. A cyber attack that gets at data is an intrusion, and theft is theft; neither
# needs a motive to be proven ("おそれ"). A DDoS attack makes data unavailable for a while but
# does not leak, lose or damage it, so it is not in the list; an insider's misuse is not a
# category and keeps the manual flag ``PersonalData.improper_purpose``.
IMPROPER_ACT_CATEGORIES: Final = frozenset(
    {
        Category.RANSOMWARE,
        Category.UNAUTHORISED_ACCESS,
        Category.WEB_DEFACEMENT,
        Category.MALWARE,
        Category.MEDIA_THEFT,
    }
)


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        return {"low": "低", "medium": "中", "high": "高", "critical": "緊急"}[self.value]


class Segment(enum.StrEnum):
    """The three network segments of the 三層の対策 model."""

    MY_NUMBER = "my_number"  # マイナンバー利用事務系
    LGWAN = "lgwan"  # LGWAN接続系
    INTERNET = "internet"  # インターネット接続系

    @property
    def label(self) -> str:
        return {
            "my_number": "マイナンバー利用事務系",
            "lgwan": "LGWAN接続系",
            "internet": "インターネット接続系",
        }[self.value]


def _require_aware(name: str, moment: datetime | None) -> None:
    if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Timeline:
    """When things happened. Only ``aware`` is required: a report exists because someone noticed.

    ``determined`` is when the body knew that the incident is a reportable one (e.g. when it
    learned that more than 100 people are affected); the PPC clocks start there.
    ``submitted`` is when the first report (第一報) was submitted, for rules that count from it.
    """

    aware: datetime
    started: datetime | None = None
    determined: datetime | None = None
    contained: datetime | None = None
    approved: datetime | None = None
    submitted: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("aware", "started", "determined", "contained", "approved", "submitted"):
            _require_aware(name, getattr(self, name))
        if self.started is not None and self.started > self.aware:
            raise ValueError("started must not be after aware")
        if self.determined is not None and self.determined < self.aware:
            raise ValueError("determined must not be before aware")


@dataclass(frozen=True, slots=True)
class AffectedService:
    """A resident-facing service or business that the incident touched.

    ``kind`` is a key of the rule set's service catalogue (e.g. ``national_health_insurance``).
    ``ministry`` and ``critical_infrastructure`` override the catalogue when given; left as
    ``None`` they are taken from the catalogue of the rule set in force.
    """

    kind: str
    name: str = ""
    ministry: str | None = None
    critical_infrastructure: bool | None = None
    segment: Segment | None = None

    def __post_init__(self) -> None:
        if self.ministry is not None and self.ministry not in NATIONAL_BODIES:
            raise ValueError(f"unknown ministry code {self.ministry!r}")


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Personal data that leaked, was lost or damaged, or may have been (漏えい等のおそれを含む).

    ``people`` is the number of people whose data is or may be affected (the upper estimate
    while investigating); ``None`` means not known yet. An unknown number is not zero: the
    rules treat it as a leak that may exceed their thresholds ("おそれ") until it is counted.
    ``my_number_people`` is the number of those whose My Number is among the data (番号法の
    報告規則第2条第4号 counts them, not everyone); ``None`` while not counted.
    """

    kinds: tuple[str, ...] = ()
    people: int | None = None
    sensitive: bool = False  # 要配慮個人情報
    ordinance_sensitive: bool = False  # 条例要配慮個人情報 (local ordinance)
    financial_damage_risk: bool = False  # 不正に利用されることにより財産的被害が生じるおそれ
    improper_purpose: bool = False  # 不正の目的をもって行われたおそれ
    my_number: bool = False  # 特定個人情報 (data containing a My Number)
    in_my_number_system: bool = False  # held in 情報提供NWS or a 個人番号利用事務 system
    publicly_viewable: bool = False  # 電磁的方法により不特定多数の者が閲覧できる状態
    high_grade_encryption: bool = False  # 高度な暗号化その他の必要な措置を講じたもの
    my_number_people: int | None = None  # 個人番号の本人の数 (番号法の報告規則第2条第4号)
    in_my_number_related_system: bool = False  # 個人番号関係事務のシステム (第2条第1号ハ)
    in_contractor_system: bool = False  # 委託先が事務に使うシステム (第2条第1号ハ)
    improper_use: bool = False  # 不正の目的で利用された(おそれ) (第2条第2号ロ)
    improper_provision: bool = False  # 不正の目的で提供された(おそれ) (第2条第2号ハ)

    def __post_init__(self) -> None:
        for count in (self.people, self.my_number_people):
            if count is not None and count < 0:
                raise ValueError("people must not be negative")
        if (
            self.people is not None
            and self.my_number_people is not None
            and self.my_number_people > self.people
        ):
            raise ValueError("my_number_people must not exceed people")

    @property
    def people_unknown(self) -> bool:
        """No count yet: the leak may still exceed any threshold."""
        return self.people is None

    @property
    def my_number_people_unknown(self) -> bool:
        """My Number holders not counted, and not bounded by a known total of 100 or fewer."""
        if not self.my_number or self.my_number_people is not None:
            return False
        return self.people is None or self.people > 100


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """The facts of one report (one submission) that decide where it goes and by when."""

    category: Category
    timeline: Timeline
    severity: Severity = Severity.MEDIUM
    serious: bool = False  # 重大インシデント, as judged by the reporting body
    cyber_attack: bool | None = None  # None: decided by the category
    services: tuple[AffectedService, ...] = ()
    segments: frozenset[Segment] = field(default_factory=frozenset)
    personal_data: PersonalData | None = None
    police_consulted: bool = False
    publicly_announced: bool = False
    contractor_involved: bool = False

    @property
    def is_cyber_attack(self) -> bool:
        if self.cyber_attack is not None:
            return self.cyber_attack
        return self.category in CYBER_ATTACK_CATEGORIES

    @property
    def improper_act(self) -> bool:
        """Whether the data was reached through an act with an improper purpose (規則第43条第3号):
        ticked by the reporter (an insider), or implied by the category (an attack that is not
        declared otherwise, or a theft)."""
        if self.personal_data is not None and self.personal_data.improper_purpose:
            return True
        if self.category is Category.MEDIA_THEFT:
            return True
        return self.category in IMPROPER_ACT_CATEGORIES and self.is_cyber_attack

    @property
    def all_segments(self) -> frozenset[Segment]:
        """The segments named on the report and on its affected services."""
        from_services = {s.segment for s in self.services if s.segment is not None}
        return self.segments | from_services


@dataclass(frozen=True, slots=True)
class ReporterContext:
    """Who reports: a local government, identified by its 全国地方公共団体コード."""

    lg_code: str
    name: str
    prefecture_lg_code: str
    prefecture_name: str

    def __post_init__(self) -> None:
        for code in (self.lg_code, self.prefecture_lg_code):
            if len(code) != 6 or not code.isdigit():
                raise ValueError(f"not a 6-digit local government code: {code!r}")

    @property
    def is_prefecture(self) -> bool:
        return self.lg_code == self.prefecture_lg_code
