"""Findings as rows for CSV and Excel (``core.tabular`` makes formula-like text inert)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from mamoru.asm.explain import kind_text
from mamoru.asm.models import Finding


def export_header() -> list[str]:
    return [
        _("優先度"), _("状態"), _("件名"), _("種類"), _("脆弱性"), _("KEV"), _("KEV の対応期限"),
        _("ホスト"), _("アドレス"), _("ポート"), _("製品"), _("資産"), _("初めて検出"),
        _("最後に検出"), _("どういうことか"), _("何をすればよいか"),
    ]  # fmt: skip


def export_rows(findings: Iterable[Finding]) -> list[list[Any]]:
    rows = []
    for f in findings:
        text = kind_text(f.kind)
        rows.append([
            f.get_priority_display(), f.get_status_display(), f.title, f.kind,
            f.vulnerability_id, _("はい") if f.kev else "", f.kev_due, f.hostname, f.ip or "",
            f.port or "", f.product, f.asset.value if f.asset else "",
            localtime(f.first_seen).replace(tzinfo=None), localtime(f.last_seen).replace(tzinfo=None),
            str(text.meaning), f.details.get("action") or str(text.action),
        ])  # fmt: skip
    return rows
