"""PDF: Japanese text, the TLP label on every page, and nothing the view withholds.

Checked by extracting the text with poppler's ``pdftotext``. Skipped, saying why, only
where WeasyPrint's libraries or poppler are not installed
(``scripts/install-system-packages.sh test`` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from mamoru.core.pdf import weasyprint_html
from mamoru.incidents.content import Phase, SubmissionView
from mamoru.incidents.exports import EXPORTERS, PdfUnavailableError
from mamoru.incidents.exports.testing import RED_CAUSE, recipient_view, submission


def _weasyprint_missing() -> str:
    try:
        weasyprint_html()
    except PdfUnavailableError as error:
        return str(error)
    return ""


pytestmark = [
    pytest.mark.skipif(bool(_weasyprint_missing()), reason=_weasyprint_missing()),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
    ),
]


def _pages(views: Sequence[SubmissionView], tmp_path: Path) -> list[str]:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(EXPORTERS["pdf"].render(views))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def mic_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _pages([recipient_view("MIC")], tmp_path_factory.mktemp("pdf"))


def test_the_pdf_renders_japanese_text(mic_pages: list[str]) -> None:
    text = "".join(mic_pages)
    assert "インシデント報告書" in text
    assert "庁内ファイルサーバのランサムウェア感染" in text
    assert "八王子市" in text
    assert "業務データが暗号化された" in text


def test_every_page_carries_the_tlp_label_in_its_header_and_footer(mic_pages: list[str]) -> None:
    assert len(mic_pages) >= 2
    for page in mic_pages:
        lines = [line for line in page.splitlines() if line.strip()]
        assert "TLP:AMBER" in lines[0]
        assert "TLP:AMBER" in lines[-1]


def test_dates_are_western_with_the_era_in_parentheses(mic_pages: list[str]) -> None:
    assert "2025年11月12日 16:30（令和7年11月12日）" in "".join(mic_pages)


def test_the_phase_version_and_section_markings_are_shown(mic_pages: list[str]) -> None:
    text = "".join(mic_pages)
    assert "第一報（第1版）" in text
    assert "TLP:AMBER+STRICT" in text  # the personal data section's own marking


def test_a_withheld_section_is_listed_but_its_text_is_absent(mic_pages: list[str]) -> None:
    text = "".join(mic_pages)
    assert "この版では次の項目は共有されていません" in text
    assert "VPN装置" not in text
    assert RED_CAUSE not in text


def test_several_submissions_make_one_file_each_with_its_own_header(tmp_path: Path) -> None:
    views = [submission(), recipient_view("PPC", phase=Phase.FINAL, version=3)]
    pages = _pages(views, tmp_path)
    assert any("第一報（第1版）" in page for page in pages)
    assert any("確報（第3版）" in page for page in pages)
    assert any("VPN装置" in page for page in pages)  # the PPC is named for the RED cause


def test_a_view_with_few_sections_still_renders(tmp_path: Path) -> None:
    view = recipient_view("MIC", granted=frozenset({"overview"}))
    text = "".join(_pages([view], tmp_path))
    assert "概要" in text
    assert "1,234人" not in text
    for label in ("原因", "連絡先"):
        assert label in text.split("この版では次の項目は共有されていません")[1]
