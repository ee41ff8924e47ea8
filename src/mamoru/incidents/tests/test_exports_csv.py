"""CSV for Excel: BOM, RFC 4180 quoting, one row per view, and no formula injection."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from mamoru.core.tabular import safe_cell
from mamoru.incidents.exports import EXPORTERS
from mamoru.incidents.exports.csv_export import WITHHELD_CELL
from mamoru.incidents.exports.testing import RED_CAUSE, recipient_view, submission
from mamoru.incidents.routing.codes import SECTIONS


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_file_starts_with_a_bom_and_ends_lines_with_crlf() -> None:
    data = EXPORTERS["csv"].render([submission()])
    assert data.startswith("\ufeff".encode())
    assert data.count(b"\r\n") == 2  # the header and one row
    assert data.endswith(b"\r\n")


def test_one_row_per_view_under_a_japanese_header() -> None:
    rows = _rows(EXPORTERS["csv"].render([submission(), recipient_view("MIC")]))
    header, *body = rows
    assert header[:4] == ["報告番号", "報告団体コード", "報告団体", "報告区分"]
    assert header[-len(SECTIONS) :] == list(SECTIONS.values())
    assert len(body) == 2
    first = dict(zip(header, body[0], strict=True))
    assert first["報告団体"] == "八王子市"
    assert first["報告区分"] == "第一報"
    assert first["提出日時"] == "2025年11月12日 16:30"
    assert first["本人の数"] == "1234"
    assert first["重大インシデント"] == "該当"


def test_a_withheld_section_is_marked_and_its_text_never_written() -> None:
    data = EXPORTERS["csv"].render([recipient_view("MIC")])
    header, row = _rows(data)
    assert dict(zip(header, row, strict=True))["原因"] == WITHHELD_CELL
    assert RED_CAUSE not in data.decode("utf-8-sig")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_like_cells_get_a_leading_apostrophe(text: str) -> None:
    view = submission(sections={"overview": text})
    header, row = _rows(EXPORTERS["csv"].render([view]))
    assert dict(zip(header, row, strict=True))["概要"] == "'" + text


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A1", "\tcmd", "\r=1"])
def test_every_formula_prefix_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_every_cell_is_protected_not_only_free_text() -> None:
    view = replace(submission(), reporter_name="=cmd|' /C calc'!A0")
    header, row = _rows(EXPORTERS["csv"].render([view]))
    assert dict(zip(header, row, strict=True))["報告団体"] == "'=cmd|' /C calc'!A0"


def test_ordinary_text_is_left_alone() -> None:
    assert safe_cell("ファイルサーバ = 1台") == "ファイルサーバ = 1台"
    assert safe_cell("2025年") == "2025年"


def test_commas_quotes_and_newlines_are_quoted_per_rfc_4180() -> None:
    text = '職員A、職員B, "至急" と連絡\n翌朝に復旧'
    data = EXPORTERS["csv"].render([submission(sections={"overview": text})])
    assert b'""\xe8\x87\xb3\xe6\x80\xa5""' in data  # quotes doubled inside a quoted field
    header, row = _rows(data)
    assert dict(zip(header, row, strict=True))["概要"] == text


def test_no_views_give_the_header_only() -> None:
    assert len(_rows(EXPORTERS["csv"].render([]))) == 1
