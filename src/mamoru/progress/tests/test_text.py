"""Text that people type: Markdown rendered safely, and the Japanese search's n-grams."""

from __future__ import annotations

import pytest

from mamoru.progress.markdown import render_markdown
from mamoru.progress.search import bigrams, normalise, terms


@pytest.mark.parametrize(
    ("typed", "absent", "present"),
    [
        ("<script>alert(1)</script>", "<script>", "&lt;script&gt;"),
        ('<img src=x onerror="alert(1)">', "<img", "&lt;img"),
        ("[押して](javascript:alert(1))", 'href="javascript', "[押して]"),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:', "[data]"),
        ("![外部画像](https://tracker.example/pixel.png)", "<img", "外部画像"),
    ],
)
def test_markdown_never_lets_html_or_scripts_through(typed: str, absent: str, present: str) -> None:
    html = str(render_markdown(typed))
    assert absent not in html
    assert present in html


def test_markdown_renders_what_notices_need() -> None:
    html = str(
        render_markdown(
            "# 見出し\n\n- 一つ目\n- 二つ目\n\n| 項目 | 期限 |\n|---|---|\n| 報告 | 10日 |\n\n"
            "[手順書](https://www.example.lg.jp/guide)"
        )
    )
    assert "<h3>見出し</h3>" in html  # under the page's own h1 and h2
    assert "<li>一つ目</li>" in html
    assert "<table>" in html
    assert 'href="https://www.example.lg.jp/guide" rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ランサムウェア", "ランサムウエア"),
        ("らんさむうぇあ", "ランサムウエア"),
        ("ﾗﾝｻﾑｳｪｱ", "ランサムウエア"),
        ("ＶＰＮ　装置", "vpn 装置"),
        ("「標準化」、移行。", "標準化 移行"),
    ],
)
def test_normalisation_folds_what_people_type_differently(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_bigrams_cover_each_word_and_terms_are_distinct() -> None:
    assert bigrams("ランサム") == {"ラン", "ンサ", "サム"}
    assert bigrams("a VPN") == {"vp", "pn"}
    assert terms("VPN vpn 更新") == ["vpn", "更新"]
