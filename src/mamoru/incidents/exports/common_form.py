"""The common report form for ransomware and DDoS incidents (ランサムウェア事案共通様式・
DDoS攻撃事案共通様式), in use since 2025-10-01.

The 国家サイバー統括室 (NCO) published the two forms after a public consultation (July to
August 2025) under an agreement of the ministries of 2025-05-28; one filled-in form serves
the report to 個人情報保護委員会, the consultation with the police and other reports, and the
office receiving it shares it with NCO when the victim agrees. The form itself is a
spreadsheet this project could not read; its items here follow the public announcements
(see rules/README.md, "Sources"): the reporting body and contact, the kind of incident,
when it happened and was noticed, the damage, personal data, the initial response, the
police, and the attack's technical details (for ransomware: the ransom note, the extension
of encrypted files, the type, the way in and indicators; for DDoS: the kind of attack and
its traffic). mamoru has no separate fields for the technical details: the form points to
the report's cause and systems sections, where the reporter writes them.

Like every export, it is rendered only from a view already cut for its recipient: a
withheld section says so and never shows what it withholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports.base import (
    NOT_SHARED,
    UNDER_INVESTIGATION,
    ExportError,
    dual_datetime,
    is_shared,
    require_views,
    section_marking,
    section_text,
    withheld_labels,
)
from mamoru.incidents.exports.ppc import REPORT_KINDS
from mamoru.incidents.routing.facts import Category

FORM_TITLES: Final[dict[Category, str]] = {
    Category.RANSOMWARE: "ランサムウェア事案共通様式",
    Category.DDOS: "DDoS攻撃事案共通様式",
}
FORM_BASIS: Final = (
    "サイバー攻撃被害に係る報告の共通様式（国家サイバー統括室、2025年10月1日運用開始）。"
    "個人情報保護法に基づく漏えい等報告、警察への相談等に利用できる"
)
# The attack's technical items the form asks for, per kind; mamoru keeps them in free text.
TECHNICAL_ITEMS: Final[dict[Category, tuple[str, ...]]] = {
    Category.RANSOMWARE: (
        "ランサムノート（身代金要求の文言）",
        "暗号化されたファイルの拡張子",
        "ランサムウェアの類型（暗号化・窃取した情報の公開の示唆・身代金の要求）",
        "侵入方法（脆弱性の悪用、フィッシングメール等）",
        "ランサムウェアの特徴（インディケータ情報）",
    ),
    Category.DDOS: (
        "攻撃の分類（ネットワーク帯域の枯渇、サービス・アプリケーション層の枯渇等）",
        "通信量・継続時間",
        "実施した緩和策",
    ),
}


@dataclass(frozen=True, slots=True)
class FormItem:
    label: str
    text: str
    sections: tuple[str, ...] = ()  # the report sections it is made of, for their markings


def form_category(view: SubmissionView) -> Category:
    """The form that fits ``view``: ransomware or DDoS, as the shared category says."""
    if not is_shared(view, "category"):
        raise ExportError(
            "共通様式の種類を決める「インシデントの種別」がこの宛先に共有されていません"
        )
    category = view.content.facts.category
    if category not in FORM_TITLES:
        raise ExportError("共通様式はランサムウェア事案とDDoS攻撃事案のための様式です")
    return category


def _or_unknown(lines: Sequence[str], *sections: str, view: SubmissionView) -> str:
    text = "\n".join(line for line in lines if line)
    if text:
        return text
    if sections and not any(is_shared(view, s) for s in sections):
        return NOT_SHARED
    return UNDER_INVESTIGATION


def _contact(view: SubmissionView) -> str:
    contact = view.content.contact
    if contact is None:
        return NOT_SHARED if not is_shared(view, "contact") else UNDER_INVESTIGATION
    parts = [contact.department, contact.name, contact.phone, contact.email]
    return "　".join(p for p in parts if p)


def _timeline(view: SubmissionView) -> str:
    if not is_shared(view, "timeline"):
        return NOT_SHARED
    timeline = view.content.facts.timeline
    lines = [
        f"{label}: {dual_datetime(moment)}"
        for label, moment in (
            ("発生日時", timeline.started),
            ("発覚日時", timeline.aware),
            ("封じ込めの日時", timeline.contained),
        )
        if moment is not None
    ]
    return _or_unknown([*lines, section_text(view, "timeline")], "timeline", view=view)


def _damage(view: SubmissionView) -> str:
    lines: list[str] = []
    if is_shared(view, "services") and view.content.facts.services:
        names = "、".join(s.name or s.kind for s in view.content.facts.services)
        lines.append(f"影響を受けた業務・サービス: {names}")
    if is_shared(view, "systems") and view.content.facts.all_segments:
        segments = "、".join(s.label for s in sorted(view.content.facts.all_segments))
        lines.append(f"ネットワーク区分: {segments}")
    for section in ("systems", "services", "impact"):
        lines.append(section_text(view, section))
    return _or_unknown(lines, "systems", "services", "impact", view=view)


def _personal_data(view: SubmissionView) -> str:
    if not is_shared(view, "personal_data"):
        return NOT_SHARED
    data = view.content.facts.personal_data
    if data is None:
        return "なし（現時点で確認されていない）"
    lines = ["あり（漏えい等のおそれを含む）"]
    if data.kinds:
        lines.append("項目: " + "、".join(data.kinds))
    lines.append("本人の数: " + (f"{data.people:,}人" if data.people is not None else "調査中"))
    if data.my_number:
        lines.append("特定個人情報（個人番号）を含む")
    lines.append(section_text(view, "personal_data"))
    return "\n".join(line for line in lines if line)


def _police(view: SubmissionView) -> str:
    if not is_shared(view, "police"):
        return NOT_SHARED
    consulted = "相談済み" if view.content.facts.police_consulted else "未相談"
    return "\n".join(line for line in (consulted, section_text(view, "police")) if line)


def _technical(view: SubmissionView, category: Category) -> str:
    where = [s for s in ("cause", "systems") if is_shared(view, s)]
    written = [section_text(view, s) for s in where]
    asked = "、".join(TECHNICAL_ITEMS[category])
    lines = [f"様式の項目: {asked}"]
    if any(written):
        lines.append("報告の「原因」「影響を受けたシステム」欄の記載:")
        lines += [text for text in written if text]
    elif not where:
        lines.append(NOT_SHARED)
    else:
        lines.append(UNDER_INVESTIGATION)
    return "\n".join(lines)


def common_form_items(view: SubmissionView) -> tuple[str, list[FormItem]]:
    """The title and the items of the common form for ``view`` (cut for its recipient)."""
    category = form_category(view)
    items = [
        FormItem("報告の区分", f"{REPORT_KINDS[view.phase]}・第{view.version}版"),
        FormItem(
            "被害組織", f"{view.reporter_name}（全国地方公共団体コード {view.reporter_code}）"
        ),
        FormItem("連絡先", _contact(view), ("contact",)),
        FormItem("事案の種別", category.label),
        FormItem("発生・発覚の日時", _timeline(view), ("timeline",)),
        FormItem(
            "事案の概要",
            _or_unknown([section_text(view, "overview")], "overview", view=view),
            ("overview",),
        ),
        FormItem(
            "被害の状況（システム・業務・住民への影響）",
            _damage(view),
            ("systems", "services", "impact"),
        ),
        FormItem("個人情報の漏えい等（おそれを含む）", _personal_data(view), ("personal_data",)),
        FormItem("攻撃の技術情報", _technical(view, category), ("cause", "systems")),
        FormItem(
            "初動対応・再発防止策",
            _or_unknown([section_text(view, "actions")], "actions", view=view),
            ("actions",),
        ),
        FormItem("警察への相談", _police(view), ("police",)),
        FormItem(
            "公表の状況",
            _or_unknown([section_text(view, "announcement")], "announcement", view=view),
            ("announcement",),
        ),
    ]
    return FORM_TITLES[category], items


def _marking(view: SubmissionView, item: FormItem) -> str:
    """The item's own markings where they differ from the report's, e.g. （TLP:RED）."""
    shown = [section_marking(view, s) for s in item.sections if is_shared(view, s)]
    own = [m.label for m in dict.fromkeys(shown) if m != view.content.tlp]
    return f"（{'、'.join(own)}）" if own else ""


def common_form_markdown(view: SubmissionView) -> str:
    title, items = common_form_items(view)
    lines = [
        f"# {title}",
        "",
        f"- 根拠: {FORM_BASIS}",
        f"- 提出日時: {dual_datetime(view.submitted_at)}",
        f"- 報告番号: {view.report_id}",
        f"- 取扱い: {view.content.tlp.label}",
    ]
    for number, item in enumerate(items, 1):
        lines += ["", f"## {number}. {item.label}{_marking(view, item)}", "", item.text]
    withheld = withheld_labels(view)
    if withheld:
        lines += ["", "---", "", "この版では次の項目は共有されていません: " + "、".join(withheld)]
    return "\n".join(lines) + "\n"


class CommonFormExporter:
    name = "common"
    media_type = "text/markdown; charset=utf-8"
    file_extension = "md"

    def render(self, views: Sequence[SubmissionView]) -> bytes:
        texts = [common_form_markdown(view) for view in require_views(views)]
        return "\n---\n\n".join(texts).encode()
