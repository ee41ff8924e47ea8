"""The monthly report as people read it: the headline figures with plain-Japanese labels,
a summary a mayor can read, the charts (``core.charts``), the CSV rows (``core.tabular``)
and the PDF (``core.pdf``). Used by the pages and by ``mamoru seccloud report``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamoru.core.charts import bar_chart, line_chart
from mamoru.core.pdf import html_to_pdf
from mamoru.core.tabular import csv_bytes
from mamoru.seccloud.models import severity_label

# What the engine writes for a country, category or service it does not know.
UNKNOWN = "unknown"


def _named(value: object) -> str:
    """A value of the figures as the reader sees it: the engine's "unknown" is 不明."""
    return _("不明") if value == UNKNOWN else str(value)


# (key in the figures, label) in the order a reader meets them.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("firewall_sessions_allowed", gettext_noop("ファイアウォールが通した通信")),
    ("firewall_sessions_blocked", gettext_noop("ファイアウォールが止めた通信")),
    ("ips_detections", gettext_noop("侵入の試みの検知（IPS）")),
    ("malware_removed_from_mail", gettext_noop("メールから取り除いたウイルス")),
    ("malware_detected_total", gettext_noop("検知したウイルス（メール・Web の合計）")),
    ("spam", gettext_noop("迷惑メール")),
    ("suspicious_files", gettext_noop("不審なファイル（サンドボックス）")),
    ("url_blocks", gettext_noop("危険なWebサイトへのアクセスの遮断")),
)


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: int
    previous: int | None

    @property
    def change(self) -> str:
        """Compared with the month before, in words (増加 / 減少 / 横ばい)."""
        if self.previous is None:
            return ""
        if self.previous == 0:
            return _("前月はなし") if self.value else _("前月と同じ（なし）")
        ratio = (self.value - self.previous) / self.previous * 100
        if abs(ratio) < 5:
            return _("前月とほぼ同じ")
        if ratio > 0:
            return _("前月より %(p)d%% 増加") % {"p": round(ratio)}
        return _("前月より %(p)d%% 減少") % {"p": round(-ratio)}


def headlines(figures: dict[str, Any]) -> list[Headline]:
    trend = figures.get("trend") or []
    previous = trend[-2] if len(trend) >= 2 else None
    return [
        Headline(
            key,
            _(label),
            int(figures.get(key, 0)),
            int(previous[key]) if previous and key in previous else None,
        )
        for key, label in HEADLINES
    ]


def summary(figures: dict[str, Any], name: str) -> list[str]:
    """A few sentences in plain Japanese for a mayor: what was stopped, what needs care."""
    blocked = int(figures.get("firewall_sessions_blocked", 0))
    ips = figures.get("ips_detections_by_severity") or {}
    serious = int(ips.get("critical", 0)) + int(ips.get("high", 0))
    malware = int(figures.get("malware_detected_total", 0))
    lines = [
        _(
            "%(name)sへのインターネットからの不正な通信のうち、%(blocked)s件をセキュリティクラウドが止めました。"
        )
        % {"name": name, "blocked": f"{blocked:,}"},
        _("ウイルスは%(n)s件見つかり、職員に届く前に取り除きました。") % {"n": f"{malware:,}"}
        if malware
        else _("今月、ウイルスは見つかりませんでした。"),
    ]
    if serious:
        lines.append(
            _(
                "重大度が「高」以上の侵入の試みが%(n)s件ありました。担当部署は県からの連絡（アラート）を確認し、対応を記録してください。"
            )
            % {"n": f"{serious:,}"}
        )
    else:
        lines.append(_("重大度が「高」以上の侵入の試みはありませんでした。"))
    known = [c for c in figures.get("top_source_countries") or [] if c["country"] != UNKNOWN]
    if known:
        lines.append(
            _("止めた通信の送信元で多かった国・地域は %(c)s です。")
            % {"c": "、".join(str(c["country"]) for c in known[:3])}
        )
    return lines


def charts(figures: dict[str, Any]) -> dict[str, SafeString]:
    trend = figures.get("trend") or []
    ips = figures.get("ips_detections_by_severity") or {}
    return {
        "trend": line_chart(
            [str(t["month"]) for t in trend],
            {
                _("止めた通信"): [float(t["firewall_sessions_blocked"]) for t in trend],
                _("侵入の試み"): [float(t["ips_detections"]) for t in trend],
                _("迷惑メール"): [float(t["spam"]) for t in trend],
            },
            title=_("月ごとの推移"),
            unit=_("件"),
        ),
        "severity": bar_chart(
            [(severity_label(k), float(v)) for k, v in ips.items()],
            title=_("侵入の試みの重大度"),
            unit=_("件"),
        ),
    }


def report_context(figures: dict[str, Any], *, name: str, month_label: str) -> dict[str, Any]:
    """What the page and the PDF show of one month's figures."""
    ips = figures.get("ips_detections_by_severity") or {}
    return {
        "name": name,
        "month_label": month_label,
        "headlines": headlines(figures),
        "summary": summary(figures, name),
        "severity": [(severity_label(k), v) for k, v in ips.items()],
        "url_categories": [
            (_named(k), v) for k, v in (figures.get("url_blocks_by_category") or {}).items()
        ],
        "services": [
            {**s, "service": _named(s["service"])}
            for s in figures.get("top_attacked_services") or []
        ],
        "countries": [
            {**c, "country": _named(c["country"])}
            for c in figures.get("top_source_countries") or []
        ],
        "charts": charts(figures),
    }


def report_csv(figures: dict[str, Any], *, name: str) -> bytes:
    """The figures as one CSV of (項目, 区分, 件数)."""
    rows: list[tuple[str, str, int]] = [(h.label, "", h.value) for h in headlines(figures)]
    ips = figures.get("ips_detections_by_severity") or {}
    rows += [(_("侵入の試み（重大度別）"), severity_label(k), int(v)) for k, v in ips.items()]
    rows += [
        (_("Webサイトの遮断（分類別）"), _named(k), int(v))
        for k, v in (figures.get("url_blocks_by_category") or {}).items()
    ]
    rows += [
        (_("攻撃の多い通信の種類"), _named(s["service"]), int(s["events"]))
        for s in figures.get("top_attacked_services") or []
    ]
    rows += [
        (_("送信元の国・地域"), _named(c["country"]), int(c["events"]))
        for c in figures.get("top_source_countries") or []
    ]
    header = [_("項目"), _("区分"), _("件数")]
    return csv_bytes(header, [(item, part, count) for item, part, count in rows])


def report_pdf(figures: dict[str, Any], *, name: str, month_label: str) -> bytes:
    """The report as a PDF (the same content as the page, with a print stylesheet)."""
    context = report_context(figures, name=name, month_label=month_label)
    html = render_to_string("seccloud/report_pdf.html", {**context, "report": context})
    return html_to_pdf([html])


def report_table(figures: dict[str, Any], *, name: str, month_label: str) -> str:
    """The report as plain text (the command's ``--format table``)."""
    width = max(len(h.label) for h in headlines(figures)) + 2
    out = [f"{name} {month_label}", ""]
    out += [f"{h.label:<{width}}{h.value:>14,}  {h.change}".rstrip() for h in headlines(figures)]
    out += ["", *summary(figures, name)]
    return "\n".join(out) + "\n"
