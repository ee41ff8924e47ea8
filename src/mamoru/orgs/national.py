"""The national bodies: the national operator at the root of the hierarchy, and the bodies
that receive reports beside it. Their codes are stable: scripts and routing rules use them."""

from __future__ import annotations

from typing import NamedTuple


class NationalBody(NamedTuple):
    code: str
    name: str
    name_en: str
    reading: str


NATIONAL_OPERATOR = NationalBody(
    "MIC", "総務省", "Ministry of Internal Affairs and Communications", "そうむしょう"
)

NATIONAL_BODIES: tuple[NationalBody, ...] = (
    NATIONAL_OPERATOR,
    NationalBody(
        "NCO",
        "国家サイバー統括室",
        "National Cybersecurity Office (formerly NISC)",
        "こっかさいばーとうかつしつ",
    ),
    NationalBody(
        "PPC",
        "個人情報保護委員会",
        "Personal Information Protection Commission",
        "こじんじょうほうほごいいんかい",
    ),
    NationalBody("NPA", "警察庁", "National Police Agency", "けいさつちょう"),
    NationalBody("DA", "デジタル庁", "Digital Agency", "でじたるちょう"),
    NationalBody(
        "JLIS",
        "地方公共団体情報システム機構",
        "Japan Agency for Local Authority Information Systems (J-LIS)",
        "ちほうこうきょうだんたいじょうほうしすてむきこう",
    ),
    NationalBody(
        "MHLW", "厚生労働省", "Ministry of Health, Labour and Welfare", "こうせいろうどうしょう"
    ),
    NationalBody(
        "MEXT",
        "文部科学省",
        "Ministry of Education, Culture, Sports, Science and Technology",
        "もんぶかがくしょう",
    ),
    NationalBody(
        "MLIT",
        "国土交通省",
        "Ministry of Land, Infrastructure, Transport and Tourism",
        "こくどこうつうしょう",
    ),
    NationalBody("CFA", "こども家庭庁", "Children and Families Agency", "こどもかていちょう"),
)
