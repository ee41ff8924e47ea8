"""CSV of many submissions, one row each, for Excel in Japanese offices.

UTF-8 with a byte-order mark (without it Excel reads the file as Shift_JIS), CRLF line
ends and RFC 4180 quoting. A cell that a spreadsheet would read as a formula (starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe:
reporter text must never run as a formula on a recipient's machine (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from mamoru.core.tabular import BOM, safe_cell
from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports.base import (
    is_shared,
    section_text,
    western_datetime,
)
from mamoru.incidents.routing.codes import SECTIONS

# A section that the row's view withholds; the text itself never reaches the file.
WITHHELD_CELL: Final = "（共有対象外）"

FIXED_COLUMNS: Final = (
    "報告番号",
    "報告団体コード",
    "報告団体",
    "報告区分",
    "版",
    "提出日時",
    "取扱区分",
    "種別",
    "重大度",
    "重大インシデント",
    "本人の数",
)


def _people(view: SubmissionView) -> str:
    data = view.content.facts.personal_data
    if data is None or data.people is None or not is_shared(view, "personal_data"):
        return ""
    return str(data.people)


def _section_cell(view: SubmissionView, section: str) -> str:
    if not is_shared(view, section):
        return WITHHELD_CELL
    text = section_text(view, section)
    contact = view.content.contact
    if section == "contact" and not text and contact is not None:
        details = (contact.name, contact.department, contact.phone, contact.email)
        text = " / ".join(d for d in details if d)
    return text


def row_for(view: SubmissionView) -> list[str]:
    facts = view.content.facts
    category = facts.category.label if is_shared(view, "category") else WITHHELD_CELL
    cells = [
        view.report_id,
        view.reporter_code,
        view.reporter_name,
        view.phase.label,
        str(view.version),
        western_datetime(view.submitted_at),
        view.content.tlp.label,
        category,
        facts.severity.label if is_shared(view, "overview") else WITHHELD_CELL,
        ("該当" if facts.serious else "非該当") if is_shared(view, "overview") else WITHHELD_CELL,
        _people(view),
        *(_section_cell(view, section) for section in SECTIONS),
    ]
    return [safe_cell(cell) for cell in cells]


def render_csv(views: Sequence[SubmissionView]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([*FIXED_COLUMNS, *SECTIONS.values()])
    writer.writerows(row_for(view) for view in views)
    return BOM + buffer.getvalue()


class CsvExporter:
    name = "csv"
    media_type = "text/csv; charset=utf-8"
    file_extension = "csv"

    def render(self, views: Sequence[SubmissionView]) -> bytes:
        # An empty list is a valid export (an inbox with nothing in it): the header only.
        return render_csv(views).encode()
