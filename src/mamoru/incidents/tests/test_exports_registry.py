"""The registry of formats, and the rule every format keeps: a withheld section stays out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports import EXPORTERS, ExportError, PdfUnavailableError
from mamoru.incidents.exports.testing import RED_CAUSE, recipient_view

FORMATS = ("stix", "ppc", "pdf", "csv", "common")


def test_the_five_formats_are_registered_under_their_names() -> None:
    assert tuple(EXPORTERS) == FORMATS
    for name, exporter in EXPORTERS.items():
        assert exporter.name == name
        assert "/" in exporter.media_type
        assert exporter.file_extension.isalnum()


def test_the_registry_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        EXPORTERS["stix"] = EXPORTERS["csv"]  # type: ignore[index]


@pytest.mark.parametrize("name", ["stix", "ppc", "pdf", "common"])
def test_a_single_submission_format_needs_a_submission(name: str) -> None:
    with pytest.raises(ExportError, match="nothing to export"):
        EXPORTERS[name].render([])


def _text(name: str, view: SubmissionView, tmp_path: Path) -> str:
    try:
        data = EXPORTERS[name].render([view])
    except PdfUnavailableError as error:
        pytest.skip(str(error))
    if name != "pdf":
        return data.decode("utf-8-sig")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "view.pdf"
    pdf.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("name", FORMATS)
def test_a_red_section_never_reaches_a_recipient_it_does_not_name(
    name: str, tmp_path: Path
) -> None:
    text = _text(name, recipient_view("MIC"), tmp_path)
    assert "VPN装置" not in text
    assert RED_CAUSE not in text.replace("\n", "")


@pytest.mark.parametrize("name", FORMATS)
def test_the_recipient_named_for_a_red_section_gets_it(name: str, tmp_path: Path) -> None:
    # The counterpart of the test above: the text is there when the view keeps it.
    assert "VPN装置" in _text(name, recipient_view("PPC"), tmp_path)
