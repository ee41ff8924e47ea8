"""The items of the report to 個人情報保護委員会 (漏えい等報告), in the order of the form.

A public body reports a leak of 保有個人情報 under 個人情報の保護に関する法律 第68条第1項
with the items of its rules (施行規則 第44条): 概要, the kinds of data, the number of
people, 原因, 二次被害, 本人への対応, 公表, 再発防止策 and その他参考となる事項. A leak of
特定個人情報 (data with a My Number) is reported under 番号法 第29条の4 with the same
items worded for 特定個人情報. An item the reporter has not answered yet reads 「調査中」;
an item this view withholds says so, and never shows what it withholds.

:func:`ppc_report` gives the structured form (for the API); :class:`PpcExporter` renders
it as Markdown text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from mamoru.incidents.content import Phase, SubmissionView, Tlp
from mamoru.incidents.exports.base import (
    NOT_SHARED,
    UNDER_INVESTIGATION,
    dual_datetime,
    is_shared,
    require_views,
    section_marking,
    section_text,
    withheld_labels,
)
from mamoru.incidents.routing.facts import PersonalData

REPORT_KINDS: Final[dict[Phase, str]] = {
    Phase.PRELIMINARY: "速報（第一報）",
    Phase.INTERIM: "速報（続報）",
    Phase.FINAL: "確報",
}


@dataclass(frozen=True, slots=True)
class PpcForm:
    title: str
    basis: str
    data_term: str  # what the law calls the data: 保有個人情報 or 特定個人情報


STANDARD: Final = PpcForm(
    title="保有個人情報の漏えい等に関する報告",
    basis="個人情報の保護に関する法律 第68条第1項、同法施行規則 第44条",
    data_term="保有個人情報",
)
MY_NUMBER: Final = PpcForm(
    title="特定個人情報の漏えい等に関する報告",
    basis="行政手続における特定の個人を識別するための番号の利用等に関する法律 第29条の4第1項",
    data_term="特定個人情報",
)


@dataclass(frozen=True, slots=True)
class PpcItem:
    """One item of the form. ``state``: answered, investigating (調査中) or withheld."""

    number: int
    label: str
    text: str
    state: str
    markings: tuple[Tlp, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "text": self.text,
            "state": self.state,
            "markings": [m.value for m in self.markings],
        }


@dataclass(frozen=True, slots=True)
class PpcReport:
    form: PpcForm
    report_id: str
    reporter: str
    report_kind: str
    version: int
    submitted_at: str
    tlp: Tlp
    items: tuple[PpcItem, ...]
    withheld: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.form.title,
            "basis": self.form.basis,
            "report_id": self.report_id,
            "reporter": self.reporter,
            "report_kind": self.report_kind,
            "version": self.version,
            "submitted_at": self.submitted_at,
            "tlp": self.tlp.value,
            "items": [item.as_dict() for item in self.items],
            "withheld": list(self.withheld),
        }


def _yes(flag: bool, label: str) -> list[str]:
    return [label] if flag else []


class _Items:
    """Collects the lines of each item from the sections and facts the view shares."""

    def __init__(self, view: SubmissionView) -> None:
        self.view = view
        self.facts = view.content.facts

    def _item(self, number: int, label: str, sections: Sequence[str], lines: list[str]) -> PpcItem:
        shared = [s for s in sections if is_shared(self.view, s)]
        markings = tuple(dict.fromkeys(section_marking(self.view, s) for s in shared))
        if text_lines := [line for line in lines if line]:
            if not is_shared(self.view, sections[0]):
                # The item's own section is withheld; say so rather than look complete.
                text_lines.insert(0, NOT_SHARED)
            return PpcItem(number, label, "\n".join(text_lines), "answered", markings)
        if not shared:
            return PpcItem(number, label, NOT_SHARED, "withheld")
        return PpcItem(number, label, UNDER_INVESTIGATION, "investigating", markings)

    def _text(self, section: str) -> str:
        return section_text(self.view, section)

    def overview(self) -> PpcItem:
        lines = [self._text("overview")]
        if is_shared(self.view, "category"):
            lines.append(f"事案の種別: {self.facts.category.label}")
        if is_shared(self.view, "timeline"):
            timeline = self.facts.timeline
            for name, moment in (
                ("発生日時", timeline.started),
                ("発覚日時", timeline.aware),
                # Q&A（行政機関等編）Q3-4-1: the clock starts when a member of staff knew,
                # not when a manager decided; the label says so, so nobody enters the latter.
                ("報告対象事態を知った日時（職員が知った時点）", timeline.determined),
                ("封じ込めの日時", timeline.contained),
            ):
                if moment is not None:
                    lines.append(f"{name}: {dual_datetime(moment)}")
            lines.append(self._text("timeline"))
        return self._item(1, "概要", ("overview", "category", "timeline"), lines)

    def _data(self) -> PersonalData | None:
        return self.facts.personal_data if is_shared(self.view, "personal_data") else None

    def kinds(self, form: PpcForm) -> PpcItem:
        data = self._data()
        lines: list[str] = []
        if data is not None:
            if data.kinds:
                lines.append("、".join(data.kinds))
            lines += _yes(data.sensitive, "要配慮個人情報を含む")
            lines += _yes(data.ordinance_sensitive, "条例要配慮個人情報を含む")
            lines += _yes(data.my_number, "特定個人情報（個人番号を含む）を含む")
            lines += _yes(
                data.in_my_number_system,
                "情報提供ネットワークシステム又は個人番号利用事務の情報システムで管理",
            )
            lines += _yes(
                data.in_my_number_related_system,
                "個人番号関係事務（給与・源泉徴収等）の情報システムで管理",
            )
            lines += _yes(
                data.in_contractor_system, "委託先が個人番号利用事務等に使う情報システムで管理"
            )
            lines += _yes(data.publicly_viewable, "電磁的方法により不特定多数の者が閲覧できる状態")
            lines += _yes(data.high_grade_encryption, "高度な暗号化その他の必要な措置を講じている")
        lines.append(self._text("personal_data"))
        label = f"漏えい等が発生し、又は発生したおそれがある{form.data_term}の項目"
        return self._item(2, label, ("personal_data",), lines)

    def people(self, form: PpcForm) -> PpcItem:
        data = self._data()
        count = data.people if data is not None else None
        lines = [f"{count:,}人" if count is not None else ""]
        if data is not None and data.my_number:
            holders = data.my_number_people
            lines.append(
                "うち個人番号を含む本人: " + (f"{holders:,}人" if holders is not None else "調査中")
            )
        label = f"漏えい等が発生し、又は発生したおそれがある{form.data_term}に係る本人の数"
        return self._item(3, label, ("personal_data",), lines)

    def cause(self) -> PpcItem:
        lines = [self._text("cause")]
        if is_shared(self.view, "contractor") and self.facts.contractor_involved:
            lines.append("委託先の関与: あり")
            lines.append(self._text("contractor"))
        data = self._data()
        if data is not None and self.facts.improper_act:
            lines.append(
                "不正の目的をもって行われたおそれがある行為（サイバー攻撃・盗難・内部不正等）による"
            )
        if data is not None and data.improper_use:
            lines.append("不正の目的をもって特定個人情報が利用された（おそれを含む）")
        if data is not None and data.improper_provision:
            lines.append("不正の目的をもって特定個人情報が提供された（おそれを含む）")
        return self._item(4, "原因", ("cause", "contractor"), lines)

    def secondary_damage(self) -> PpcItem:
        data = self._data()
        lines = [self._text("secondary_damage")]
        if data is not None and data.financial_damage_risk:
            lines.append("不正に利用されることにより財産的被害が生じるおそれがある")
        label = "二次被害又はそのおそれの有無及びその内容"
        return self._item(5, label, ("secondary_damage",), lines)

    def simple(self, number: int, label: str, section: str) -> PpcItem:
        return self._item(number, label, (section,), [self._text(section)])

    def announcement(self) -> PpcItem:
        lines = [self._text("announcement")]
        if is_shared(self.view, "announcement") and not lines[0]:
            lines = ["公表済み" if self.facts.publicly_announced else "未公表"]
        return self._item(7, "公表の実施状況", ("announcement",), lines)

    def other(self) -> PpcItem:
        lines: list[str] = []
        if is_shared(self.view, "police"):
            consulted = "相談済み" if self.facts.police_consulted else "未相談"
            lines.append(f"警察への相談: {consulted}")
            lines.append(self._text("police"))
        services = self.facts.services if is_shared(self.view, "services") else ()
        if services:
            lines.append(
                "影響を受けた業務・サービス: " + "、".join(s.name or s.kind for s in services)
            )
        lines.append(self._text("services"))
        if is_shared(self.view, "systems") and self.facts.all_segments:
            segments = "、".join(s.label for s in sorted(self.facts.all_segments))
            lines.append(f"ネットワーク区分: {segments}")
        lines.append(self._text("systems"))
        lines.append(self._text("impact"))
        sections = ("police", "services", "systems", "impact")
        return self._item(9, "その他参考となる事項", sections, lines)


def form_for(view: SubmissionView) -> PpcForm:
    """The My Number form when the shared facts say the data includes a My Number."""
    data = view.content.facts.personal_data
    if data is not None and data.my_number and is_shared(view, "personal_data"):
        return MY_NUMBER
    return STANDARD


def ppc_report(view: SubmissionView) -> PpcReport:
    """The PPC report items of ``view``, in the order of the form."""
    form = form_for(view)
    items = _Items(view)
    simple = [
        (6, "本人への対応の実施状況", "notification"),
        (8, "再発防止のための措置", "actions"),
    ]
    answered = [
        items.overview(),
        items.kinds(form),
        items.people(form),
        items.cause(),
        items.secondary_damage(),
        items.announcement(),
        items.other(),
        *(items.simple(number, label, section) for number, label, section in simple),
    ]
    return PpcReport(
        form=form,
        report_id=view.report_id,
        reporter=f"{view.reporter_name}（{view.reporter_code}）",
        report_kind=REPORT_KINDS[view.phase],
        version=view.version,
        submitted_at=dual_datetime(view.submitted_at),
        tlp=view.content.tlp,
        items=tuple(sorted(answered, key=lambda item: item.number)),
        withheld=tuple(withheld_labels(view)),
    )


def ppc_markdown(report: PpcReport) -> str:
    lines = [
        f"# {report.form.title}",
        "",
        f"- 根拠: {report.form.basis}",
        f"- 報告区分: {report.report_kind}・第{report.version}版",
        f"- 報告者: {report.reporter}",
        f"- 提出日時: {report.submitted_at}",
        f"- 報告番号: {report.report_id}",
        f"- 取扱い: {report.tlp.label}",
    ]
    for item in report.items:
        own = [m.label for m in item.markings if m != report.tlp]
        marking = f"（{'、'.join(own)}）" if own else ""
        lines += ["", f"## {item.number}. {item.label}{marking}", "", item.text]
    if report.withheld:
        lines += [
            "",
            "---",
            "",
            "この版では次の項目は共有されていません: " + "、".join(report.withheld),
        ]
    return "\n".join(lines) + "\n"


class PpcExporter:
    name = "ppc"
    media_type = "text/markdown; charset=utf-8"
    file_extension = "md"

    def render(self, views: Sequence[SubmissionView]) -> bytes:
        texts = [ppc_markdown(ppc_report(view)) for view in require_views(views)]
        return "\n---\n\n".join(texts).encode()
