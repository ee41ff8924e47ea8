"""The sender's and the prefecture's dashboards: rates per item and chapter from the
kept counts, progress by prefecture, organisations behind on mandatory items — and the
number of queries does not grow with the number of organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamoru.assessments import services
from mamoru.assessments.models import Campaign, Framework
from mamoru.assessments.selectors import dashboard
from mamoru.assessments.testing import SYSTEM, campaign, principal, uniform
from mamoru.testing import Cast, SignIn

pytestmark = pytest.mark.django_db


def _answered(framework: Framework, wards: list[str], count: int) -> Campaign:
    chosen = sorted(wards)[:count]
    answers = {}
    for i, code in enumerate(chosen):
        given = uniform(framework, "special_ward")
        if i % 2:
            given["ORG-01"] = "not_implemented"  # mandatory
        answers[code] = given
    made = campaign(framework, codes=chosen, title=f"{count}団体の調査")
    services.submissions_import(principal=SYSTEM, campaign=made, answers=answers)
    return made


def test_rates_progress_and_who_is_behind(
    cast: Cast, framework: Framework, wards: list[str], signed_in: SignIn
) -> None:
    made = _answered(framework, wards, 4)
    board = dashboard(principal=principal(cast.nation), campaign=made)
    org01 = next(rate for rate in board.items if rate.key == "ORG-01")
    assert (org01.met, org01.unmet, org01.rate) == (2, 2, 50.0)
    chapter1 = next(rate for rate in board.chapters if rate.key == "1")
    assert chapter1.unmet == 2
    assert board.counted == 4
    assert [(row.label, row.submitted) for row in board.progress] == [("東京都", 4)]
    page = signed_in(cast.nation).get(reverse("assessments:dashboard", args=[made.pk]))
    text = page.content.decode()
    assert "必須項目が未達成の団体" in text
    behind = text[text.index("未達成の必須項目が多い順") :]
    behind = behind[: behind.index("</table>")]
    assert behind.count("<tr>") == 1 + 2  # the header and the two wards without ORG-01


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_reads_a_constant_number_of_queries(
    cast: Cast, framework: Framework, wards: list[str], signed_in: SignIn
) -> None:
    client = signed_in(cast.nation)
    small = _answered(framework, wards, 2)
    large = _answered(framework, wards, 12)
    few = _queries(client, reverse("assessments:dashboard", args=[small.pk]))
    many = _queries(client, reverse("assessments:dashboard", args=[large.pk]))
    assert few == many
    assert few > 5  # the page was really measured
