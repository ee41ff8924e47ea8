"""The printable HTML of one submission (Django-free), which ``pdf`` turns into a PDF.

Laid out like a government report: a title block, a table of the facts, one part per
section with its own TLP label, the contact, and a closing note that lists the sections
this version does not share. The TLP label of the report sits in the header and footer of
every page in the TLP 2.0 colours. Every piece of reporter text is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Final

from mamoru.incidents.content import SubmissionView, Tlp
from mamoru.incidents.exports.base import (
    TLP_STYLES,
    UNDER_INVESTIGATION,
    dual_datetime,
    is_shared,
    section_marking,
    section_text,
    withheld_labels,
)
from mamoru.incidents.routing.codes import NATIONAL_BODIES, SECTIONS

DOCUMENT_TITLE: Final = "インシデント報告書"

_CSS: Final = """
@page {
  size: A4;
  margin: 24mm 18mm 22mm 18mm;
  @top-left { content: "$heading"; font: 8.5pt "Noto Sans CJK JP"; color: #444; }
  @top-right { content: element(tlp); vertical-align: middle; }
  @bottom-left { content: "$report_id"; font: 8pt "Noto Sans CJK JP"; color: #666; }
  @bottom-center { content: counter(page) " / " counter(pages);
                   font: 8.5pt "Noto Sans CJK JP"; color: #444; }
  @bottom-right { content: element(tlp); vertical-align: middle; }
}
html { font-family: "Noto Serif CJK JP", serif; font-size: 10.5pt; line-height: 1.7;
       color: #111; }
h1, h2, h3, th, .badge, .meta { font-family: "Noto Sans CJK JP", sans-serif; }
h1 { font-size: 18pt; text-align: center; letter-spacing: 0.3em; margin: 0 0 2mm; }
.subject { text-align: center; font-size: 12.5pt; margin: 0 0 6mm; }
h2 { font-size: 12pt; border-bottom: 1.2pt solid #1f3864; padding-bottom: 1mm;
     margin: 7mm 0 2.5mm; color: #1f3864; page-break-after: avoid; }
table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; }
th, td { border: 0.6pt solid #777; padding: 1.6mm 2.4mm; vertical-align: top;
         text-align: left; }
th { width: 30%; background: #eef1f6; font-weight: 500; font-size: 9.5pt; }
.badge { display: inline-block; background: #000; font-size: 8pt; font-weight: 700;
         padding: 0.3mm 1.8mm; margin-left: 3mm; vertical-align: middle;
         letter-spacing: 0.02em; }
.section p { margin: 0 0 2mm; white-space: pre-wrap; }
.section { page-break-inside: auto; }
.withheld { margin-top: 8mm; border: 0.8pt solid #999; background: #f6f6f6;
            padding: 3mm 4mm; font-size: 9.5pt; }
.withheld p { margin: 0; }
.meaning { font-size: 8.5pt; color: #444; }
/* The TLP label runs into the header and footer of every page (TLP 2.0: top and bottom). */
.tlp-run { position: running(tlp); text-align: right; }
.tlp-run span { font: 700 9pt "Noto Sans CJK JP"; background: #000; padding: 0.6mm 2mm; }
"""

_TLP_BOX: Final = (
    'font: 700 9pt "Noto Sans CJK JP"; background: #000; color: $colour; padding: 0.6mm 2mm;'
)


def _css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(b)}</p>" for b in blocks if b)


def _badge(tlp: Tlp) -> str:
    colour = TLP_STYLES[tlp].foreground
    return f'<span class="badge" style="color: {colour}">{escape(tlp.label)}</span>'


def _running_label(tlp: Tlp) -> str:
    colour = TLP_STYLES[tlp].foreground
    return f'<div class="tlp-run"><span style="color: {colour}">{escape(tlp.label)}</span></div>'


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def _audience(view: SubmissionView) -> str:
    if not view.audience:
        return "報告者控え"
    return NATIONAL_BODIES.get(view.audience, view.audience)


def _meta(view: SubmissionView) -> list[tuple[str, str]]:
    tlp = view.content.tlp
    rows = [
        ("報告番号", view.report_id),
        ("報告団体", f"{view.reporter_name}（団体コード {view.reporter_code}）"),
        ("報告区分", f"{view.phase.label}（第{view.version}版）"),
        ("提出日時", dual_datetime(view.submitted_at)),
        ("宛先", _audience(view)),
        ("取扱区分", f"{tlp.label}　{TLP_STYLES[tlp].meaning}"),
    ]
    if view.approved_by:
        rows.insert(4, ("承認者", view.approved_by))
    return rows


def _timeline_rows(view: SubmissionView) -> list[tuple[str, str]]:
    if not is_shared(view, "timeline"):
        return []
    timeline = view.content.facts.timeline
    moments = [
        ("発生日時", timeline.started),
        ("認知日時", timeline.aware),
        ("報告対象事態を知った日時（職員が知った時点）", timeline.determined),
        ("封じ込め日時", timeline.contained),
    ]
    return [(name, dual_datetime(m)) for name, m in moments if m is not None]


def _personal_rows(view: SubmissionView) -> list[tuple[str, str]]:
    data = view.content.facts.personal_data
    if data is None or not is_shared(view, "personal_data"):
        return []
    people = f"{data.people:,}人" if data.people is not None else UNDER_INVESTIGATION
    flags = [
        label
        for flag, label in (
            (data.sensitive, "要配慮個人情報"),
            (data.ordinance_sensitive, "条例要配慮個人情報"),
            (data.my_number, "特定個人情報（個人番号）"),
            (data.financial_damage_risk, "財産的被害のおそれ"),
            (data.improper_purpose, "不正の目的のおそれ"),
        )
        if flag
    ]
    return [
        ("個人情報の項目", "、".join(data.kinds) or UNDER_INVESTIGATION),
        ("本人の数", people),
        *([("該当事項", "、".join(flags))] if flags else []),
    ]


def _yes_no(flag: bool) -> str:
    return "あり" if flag else "なし"


def _fact_rows(view: SubmissionView) -> list[tuple[str, str]]:
    facts = view.content.facts
    rows: list[tuple[str, str]] = []
    if is_shared(view, "category"):
        rows.append(("インシデントの種別", facts.category.label))
    if is_shared(view, "overview"):
        rows += [
            ("重大度", facts.severity.label),
            ("重大インシデント", "該当" if facts.serious else "非該当"),
        ]
    rows += _timeline_rows(view)
    if is_shared(view, "services") and facts.services:
        rows.append(("影響を受けた業務", "、".join(s.name or s.kind for s in facts.services)))
    if is_shared(view, "systems") and facts.all_segments:
        rows.append(("ネットワーク区分", "、".join(s.label for s in sorted(facts.all_segments))))
    rows += _personal_rows(view)
    for section, label, flag in (
        ("police", "警察への相談", facts.police_consulted),
        ("announcement", "公表", facts.publicly_announced),
        ("contractor", "委託先の関与", facts.contractor_involved),
    ):
        if is_shared(view, section):
            rows.append((label, _yes_no(flag)))
    return rows


def _sections(view: SubmissionView) -> str:
    parts = []
    for section, label in SECTIONS.items():
        text = section_text(view, section)
        if not text or section == "contact":  # printed with the contact details
            continue
        badge = _badge(section_marking(view, section))
        parts.append(
            f'<div class="section"><h2>{escape(label)}{badge}</h2>{_paragraphs(text)}</div>'
        )
    return "".join(parts)


def _contact(view: SubmissionView) -> str:
    contact = view.content.contact
    text = section_text(view, "contact")
    if (contact is None and not text) or not is_shared(view, "contact"):
        return ""
    badge = _badge(section_marking(view, "contact"))
    if contact is None:
        return f"<h2>連絡先{badge}</h2>{_paragraphs(text)}"
    rows = [
        ("担当者", contact.name),
        ("所属", contact.department),
        ("電話", contact.phone),
        ("電子メール", contact.email),
    ]
    table = _rows((k, v) for k, v in rows if v)
    return f"<h2>連絡先{badge}</h2>{table}{_paragraphs(text)}"


def _withheld(view: SubmissionView) -> str:
    labels = withheld_labels(view)
    if not labels:
        return ""
    return (
        '<div class="withheld"><p>この版では次の項目は共有されていません: '
        f"{escape('、'.join(labels))}</p></div>"
    )


def _stylesheet(view: SubmissionView) -> str:
    heading = f"{DOCUMENT_TITLE}　{view.phase.label}（第{view.version}版）"
    return _CSS.replace("$heading", _css_string(heading)).replace(
        "$report_id", _css_string(f"報告番号 {view.report_id}")
    )


def report_html(view: SubmissionView) -> str:
    """A complete HTML document of ``view`` for printing."""
    title = escape(view.content.title)
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{DOCUMENT_TITLE}　{title}</title><style>{_stylesheet(view)}</style></head>"
        f"<body>{_running_label(view.content.tlp)}<h1>{DOCUMENT_TITLE}</h1>"
        f'<p class="subject">{title}</p>'
        f"{_rows(_meta(view))}"
        f"<h2>事案の要点</h2>{_rows(_fact_rows(view))}"
        f"{_sections(view)}{_contact(view)}{_withheld(view)}"
        "</body></html>"
    )
