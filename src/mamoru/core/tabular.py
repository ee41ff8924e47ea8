"""Tables in and out of the platform the way offices exchange them: CSV for Excel and .xlsx.

Out: ``csv_bytes`` writes UTF-8 with a byte-order mark (without it Excel reads Shift_JIS),
CRLF line ends and RFC 4180 quoting; ``xlsx_bytes`` writes a workbook with openpyxl. In
both, a text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a
tab or a carriage return first) gets a leading apostrophe: what one organisation typed must
never run as a formula on another's machine (CSV/formula injection).

In: ``read_rows`` reads a CSV (UTF-8 with or without BOM, or Shift_JIS/CP932 as Excel
saves it) or an .xlsx upload into dicts keyed by header, each with its line number, so an
import can check every row and name every wrong one in Japanese before it saves anything
(imports are all-or-nothing: see ``RowErrors``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from django.utils.translation import gettext as _

BOM: Final = "\ufeff"
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | date | datetime | None


def safe_cell(value: str) -> str:
    """``value`` made inert for spreadsheets: formula-like text gets a leading apostrophe."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_cell(value) if isinstance(value, str) else str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file for Excel in Japanese offices (UTF-8 with BOM, CRLF, inert formulas)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """A workbook with one sheet per entry (title → header and rows); text made inert."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append([safe_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Row:
    line: int  # the line (CSV) or row (sheet) number people see in their program
    values: dict[str, str]


class TableError(ValueError):
    """The file itself cannot be read (not CSV or .xlsx, no header, missing columns)."""


@dataclass
class RowErrors:
    """Errors found row by row; an import saves nothing while there is one."""

    errors: list[str] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.errors.append(_("%(line)d行目: %(message)s") % {"line": line, "message": message})

    def __bool__(self) -> bool:
        return bool(self.errors)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("文字コードを読み取れません。UTF-8 か Shift_JIS の CSV にしてください。"))


def _csv_rows(data: bytes) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(_decode(data)))]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableError(_("Excel ファイルを読み取れません。")) from error
    sheet = book.worksheets[0]
    rows = [
        ["" if v is None else str(v).strip() for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    return rows


def read_rows(data: bytes, *, filename: str, required: Sequence[str]) -> list[Row]:
    """The rows of an uploaded CSV or .xlsx, keyed by the header's names.

    Raises ``TableError`` (Japanese) when the file cannot be read or lacks a column of
    ``required``. Blank rows are skipped; values are stripped.
    """
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    table = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    while table and not any(cell.strip() for cell in table[0]):
        table.pop(0)
    if not table:
        raise TableError(_("ファイルが空です。1行目に見出しを入れてください。"))
    header = [cell.strip().lstrip(BOM) for cell in table[0]]
    missing = [name for name in required if name not in header]
    if missing:
        raise TableError(_("見出しに次の列がありません: %(names)s") % {"names": "、".join(missing)})
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        padded = [*cells, *[""] * (len(header) - len(cells))]
        rows.append(Row(index, {name: padded[i].strip() for i, name in enumerate(header)}))
    return rows
