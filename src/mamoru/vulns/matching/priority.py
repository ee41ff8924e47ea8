"""How urgently a municipality should act on a match, and what to tell it in plain
Japanese. Known exploitation (KEV, ransomware first) outranks likelihood (EPSS), which
outranks severity (CVSS); a VPN or remote-access service facing the internet is raised a
level, because that is how ransomware got into Japanese hospitals and municipalities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mamoru.vulns import products

LEVEL_LABELS = {1: "最優先", 2: "高", 3: "中", 4: "低"}


@dataclass(frozen=True, slots=True)
class Priority:
    level: int  # 1 (act now) … 4 (plan it)
    kev: bool
    ransomware: bool
    epss: float | None
    cvss: float | None
    remote_access: bool

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def sort_key(self) -> tuple[float, ...]:
        """Ascending order = most urgent first."""
        return (
            self.level,
            -int(self.ransomware),
            -int(self.kev),
            -(self.epss or 0.0),
            -(self.cvss or 0.0),
        )


def is_remote_access(product_key: str, service: str) -> bool:
    return product_key in products.REMOTE_ACCESS_PRODUCTS or service in (
        products.REMOTE_ACCESS_SERVICES
    )


def prioritise(
    *,
    kev: bool,
    ransomware: bool,
    epss: float | None,
    cvss: float | None,
    remote_access: bool,
) -> Priority:
    if kev:
        level = 1
    elif (epss or 0.0) >= 0.1 or (cvss or 0.0) >= 9.0:
        level = 2
    elif (epss or 0.0) >= 0.01 or (cvss or 0.0) >= 7.0:
        level = 3
    else:
        level = 4
    if remote_access and level > 1:
        level -= 1
    return Priority(level, kev, ransomware, epss, cvss, remote_access)


def title_ja(*, vulnerability_id: str, jvn_title: str, product: str, kev: bool) -> str:
    """JVN's Japanese title when JVN has one, else a plain template per kind."""
    return _title(get_language(), vulnerability_id, jvn_title, product, kev)


# Cached per language: the same few texts recur across a national match.
@lru_cache(maxsize=65536)
def _title(
    language: str | None, vulnerability_id: str, jvn_title: str, product: str, kev: bool
) -> str:
    del language  # part of the cache key only
    if jvn_title:
        return f"{jvn_title} ({vulnerability_id})"
    if kev:
        return _("%(product)s に、攻撃での悪用が確認されている脆弱性があります (%(id)s)") % {
            "product": product,
            "id": vulnerability_id,
        }
    return _("%(product)s に既知の脆弱性があります (%(id)s)") % {
        "product": product,
        "id": vulnerability_id,
    }


def action_ja(
    *,
    kev: bool,
    due: dt.date | None,
    remote_access: bool,
    distro: str = "",
    fixed: str = "",
) -> str:
    """What to do, in the order a one-person IT office should do it."""
    return _action((get_language(), kev, due, remote_access, distro, fixed))


@lru_cache(maxsize=4096)
def _action(key: tuple[str | None, bool, dt.date | None, bool, str, str]) -> str:
    _language, kev, due, remote_access, distro, fixed = key  # the language is only cache key
    steps = []
    if distro and fixed:
        steps.append(
            _("%(distro)s のパッケージを更新し、修正版 %(fixed)s 以降にしてください。")
            % {"distro": distro, "fixed": fixed}
        )
    else:
        steps.append(_("製品の修正版 (ベンダーが公開した更新) を適用してください。"))
    if kev:
        steps.append(_("この脆弱性は実際の攻撃に使われています。"))
        if due:
            steps.append(
                _(
                    "米国 CISA が定めた対応期限は %(due)s です。これより前の対応を目標にしてください。"
                )
                % {"due": due.isoformat()}
            )
        steps.append(_("更新後も、不審なログインや設定変更がないか確認してください。"))
    if remote_access:
        steps.append(
            _(
                "VPN やリモート接続の機器は侵入口として狙われます。すぐに更新できない場合は、インターネットからの接続を止めてください。"
            )
        )
    return "".join(steps)
