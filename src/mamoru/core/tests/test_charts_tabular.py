"""The shared charts and tables: accessible SVG, inert spreadsheet cells, strict imports."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from mamoru.core.charts import bar_chart, line_chart, radar_chart, stacked_bar_chart
from mamoru.core.tabular import TableError, csv_bytes, read_rows, safe_cell, xlsx_bytes

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


@pytest.mark.parametrize(
    "chart",
    [
        bar_chart([("東京都", 12), ("<script>", 3)], title="件数", unit="件"),
        line_chart(["4月", "5月"], {"検知": [1, 5]}, title="推移"),
        radar_chart(
            ["GV", "ID", "PR"], {"自団体": [50, 70, 20], "同規模": [60, 60, 60]}, title="成熟度"
        ),
        stacked_bar_chart(["A"], {"許可": [3], "遮断": [2]}, title="通信"),
    ],
)
def test_every_chart_is_an_accessible_image_with_its_figures_in_words(chart: str) -> None:
    root = parsed(chart)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text
    assert "style=" not in chart  # the CSP refuses inline styles
    assert "<script>" not in chart  # labels are escaped


def test_a_bar_chart_says_each_value() -> None:
    desc = parsed(bar_chart([("東京都", 12)], title="t", unit="件")).find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == "東京都 12件"


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx"])
def test_formula_like_text_is_made_inert(text: str) -> None:
    assert safe_cell(text).startswith("'")
    row = next(
        csv.reader(io.StringIO(csv_bytes(["a"], [[text]]).decode("utf-8-sig").splitlines()[1]))
    )
    assert row == ["'" + text]


def test_csv_has_a_bom_for_excel() -> None:
    assert csv_bytes(["名前"], [["千代田区"]]).startswith("\ufeff".encode())


def test_an_xlsx_round_trips_and_stays_inert() -> None:
    data = xlsx_bytes({"回答": (["番号", "回答"], [["A-1", "=HYPERLINK()"], ["A-2", 3]])})
    rows = read_rows(data, filename="x.xlsx", required=["番号", "回答"])
    assert [(r.line, r.values["回答"]) for r in rows] == [(2, "'=HYPERLINK()"), (3, "3")]


def test_shift_jis_csv_is_read_and_a_missing_column_is_named() -> None:
    data = "番号,回答\r\nA-1,実施\r\n".encode("cp932")
    assert read_rows(data, filename="x.csv", required=["番号"])[0].values["回答"] == "実施"
    with pytest.raises(TableError, match="状態"):
        read_rows(data, filename="x.csv", required=["状態"])


def test_bar_labels_get_the_room_they_need_and_a_long_one_is_cut_visibly() -> None:
    import re

    from mamoru.core.charts import bar_chart

    long_label = "3. 情報システム全体の強靭性の向上（三層の対策）"
    short = bar_chart([("1. 組織体制", 72.0), ("2. 運用", 61.9)], title="章", unit="%")
    wide = bar_chart([(long_label, 66.8), ("7. 運用", 61.9)], title="章", unit="%")
    x_short = float(re.findall(r'<rect x="([0-9.]+)"', short)[0])
    x_wide = float(re.findall(r'<rect x="([0-9.]+)"', wide)[0])
    assert x_short < x_wide  # the column grows with the longest label
    assert x_wide >= 22 * 12 + 3 * 7  # 22 full-width and 3 half-width characters, whole
    assert f">{long_label}</text>" in wide
    cramped = bar_chart([(long_label * 2, 1.0)], title="章", width=640)
    drawn = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', cramped)[0]
    assert drawn.endswith("…")
    assert len(drawn) < len(long_label * 2)
    assert long_label * 2 in cramped  # the description still says it whole
