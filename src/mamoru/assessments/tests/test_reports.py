"""The feedback report and the council summary: what they say, the PDF's text (extracted
with poppler's ``pdftotext``), the year-on-year change, and that the summary names no
unmet item. The extension point for the attack-surface platform's findings is shown
beside the answers it contradicts."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from django.urls import reverse

from mamoru.assessments import contradictions, definitions, services
from mamoru.assessments.models import Campaign, Framework
from mamoru.assessments.testing import SYSTEM, campaign, person, target_of, uniform
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.testing import Cast, SignIn

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(body: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(body)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def _ward(wards: list[str]) -> str:
    return sorted(wards)[-1]  # implements the most items of the fixture's wards


def test_the_report_lists_scores_peers_strengths_and_prioritised_gaps(
    cast: Cast, closed: Campaign, wards: list[str], signed_in: SignIn
) -> None:
    code = _ward(wards)
    target = target_of(closed, code)
    page = signed_in(person(code)).get(reverse("assessments:report", args=[target.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "東京都の特別区の中央値" in text
    assert "優先して取り組むこと" in text
    assert "次にすること:" in text
    assert "該当なし" in text  # the scoring rule is quoted
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in text  # the radar
    # Gaps come lowest level first: the first gap listed is a level-1 item.
    framework = definitions.definition(closed.framework)
    gaps = text[text.index('class="report-list gaps"') :]
    listed = re.findall(r"<strong>([A-Z]{3}-\d{2})</strong>", gaps)
    assert len(listed) > 10
    levels = [framework.item(item_id).level for item_id in listed]
    assert levels == sorted(levels)


@needs_pdftotext
def test_the_report_pdf_says_the_same_in_japanese(
    cast: Cast, closed: Campaign, wards: list[str], signed_in: SignIn, tmp_path: Path
) -> None:
    code = _ward(wards)
    target = target_of(closed, code)
    response = signed_in(person(code)).get(reverse("assessments:report_pdf", args=[target.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert target.organisation.name in text
    assert "情報セキュリティ対策の評価と報告書" in text
    assert "優先して取り組むこと" in text
    assert "東京都の特別区" in text
    assert "評価の方法" in text


def test_the_year_on_year_change_comes_from_the_earlier_campaign(
    cast: Cast, framework: Framework, closed: Campaign, wards: list[str], signed_in: SignIn
) -> None:
    code = _ward(wards)
    later = campaign(framework, codes=[code], title="翌年度の調査")
    services.submissions_import(
        principal=SYSTEM, campaign=later, answers={code: uniform(framework, "special_ward")}
    )
    target = target_of(later, code)
    text = (
        signed_in(person(code))
        .get(reverse("assessments:summary", args=[target.pk]))
        .content.decode()
    )
    assert "締切済みの調査" in text  # the earlier campaign's title
    assert "100.0%" in text
    assert "+" in text


@needs_pdftotext
def test_the_council_summary_names_no_unmet_item(
    cast: Cast, closed: Campaign, wards: list[str], signed_in: SignIn, tmp_path: Path
) -> None:
    code = sorted(wards)[0]  # implements the fewest items: many gaps
    target = target_of(closed, code)
    client = signed_in(person(code))
    page = client.get(reverse("assessments:summary", args=[target.pk])).content.decode()
    pdf = pdf_text(
        client.get(reverse("assessments:summary_pdf", args=[target.pk])).content, tmp_path
    )
    framework = definitions.definition(closed.framework)
    unmet = [
        i
        for i in framework.items_for("special_ward")
        if target.current_submission and target.current_submission.answers[i.id] != "implemented"
    ]
    assert len(unmet) > 40
    for text in (page, pdf):
        assert "今後重点的に取り組むこと" in text
        assert "の取組を強化します" in text
        for item in unmet:
            assert item.id not in text
            assert item.question.ja[:30] not in text


class _KevFinding:
    """A stand-in for the ASM's findings selector (the platform is being built)."""

    name = "test-asm"

    def find(
        self, *, principal: Principal, organisation: Organisation, answers: Mapping[str, str]
    ) -> list[contradictions.Contradiction]:
        if answers.get("TEC-18") != "implemented":
            return []
        return [
            contradictions.Contradiction(
                "TEC-18",
                "VPN 装置に KEV の脆弱性（CVE-2024-21762）が40日間未対応です",
                "「実施」と回答していますが、外部からの診断で修正されていない脆弱性が見つかっています。",
            )
        ]


@pytest.fixture
def asm_source() -> Iterator[None]:
    contradictions.register(_KevFinding())
    yield
    contradictions.unregister("test-asm")


@pytest.mark.usefixtures("asm_source")
def test_an_asm_finding_is_shown_beside_the_answer_it_contradicts(
    cast: Cast, closed: Campaign, wards: list[str], signed_in: SignIn
) -> None:
    code = _ward(wards)
    target = target_of(closed, code)
    assert target.current_submission is not None
    assert target.current_submission.answers["TEC-18"] == "implemented"
    text = (
        signed_in(person(code))
        .get(reverse("assessments:report", args=[target.pk]))
        .content.decode()
    )
    assert "CVE-2024-21762" in text
    tokyo = (
        signed_in(cast.tokyo).get(reverse("assessments:target", args=[target.pk])).content.decode()
    )
    assert "CVE-2024-21762" in tokyo  # beside the answer, for the reviewing prefecture too
