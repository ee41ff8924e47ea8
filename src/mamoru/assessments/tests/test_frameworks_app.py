"""Frameworks stored by URN (the same document twice is one version; another document
under a stored URN is refused), the operators' command, and answers carried forward from
last year's campaign — as they are for the same version, through a stored version
mapping for the next one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from mamoru.accounts.models import User
from mamoru.assessments import services
from mamoru.assessments.library.loader import FRAMEWORKS_DIR
from mamoru.assessments.models import Answer, Campaign, Framework
from mamoru.assessments.testing import SYSTEM, campaign, principal, submit, target_of, uniform
from mamoru.core.exceptions import StateConflict
from mamoru.testing import CHIYODA, Cast

pytestmark = pytest.mark.django_db

MEASURES = (FRAMEWORKS_DIR / "lg-measures-2026.yaml").read_text(encoding="utf-8")


def _next_version() -> str:
    """The 2026 measures as a 2027 version in which ORG-02 was renumbered ORG-90."""
    return (
        MEASURES.replace("lg-measures:2026", "lg-measures:2027")
        .replace('version: "2026"', 'version: "2027"')
        .replace("id: ORG-02\n", "id: ORG-90\n")
    )


MAPPING = """\
format: mamoru.assessments.mapping/1
from: urn:mamoru:framework:lg-measures:2026
to: urn:mamoru:framework:lg-measures:2027
rules:
  - {from: ORG-02, to: ORG-90}
"""


def test_a_version_is_stored_once_and_never_changed(cast: Cast, framework: Framework) -> None:
    again = services.framework_load(principal=SYSTEM, text=MEASURES, source="again.yaml")
    assert again.pk == framework.pk
    with pytest.raises(StateConflict, match="版を上げ"):
        services.framework_load(
            principal=SYSTEM, text=MEASURES.replace("重要なデータ", "大切なデータ"), source="x.yaml"
        )
    with pytest.raises(ValidationError, match="ORG-01"):
        services.framework_load(
            principal=SYSTEM,
            text=_next_version().replace("weight: 5", "weight: 50", 1),
            source="bad.yaml",
        )
    with pytest.raises(PermissionDenied):
        services.framework_load(principal=principal(cast.nation), text=MEASURES, source="x.yaml")


def test_the_command_loads_the_shipped_frameworks(db: None) -> None:
    out = StringIO()
    call_command("assessments", "load-frameworks", stdout=out)
    text = out.getvalue()
    assert "urn:mamoru:framework:lg-measures:2026: 105項目" in text
    assert "urn:mamoru:framework:nist-csf:2.0: 106項目" in text
    assert Framework.objects.count() == 2


def _last_year(framework: Framework, ciso: User) -> Campaign:
    earlier = campaign(framework, codes=[CHIYODA], title="昨年度の調査")
    answers = uniform(framework, "special_ward", "partial")
    answers["ORG-02"] = "implemented"
    submit(target_of(earlier, CHIYODA), answers, approver=ciso)
    return earlier


def test_last_years_answers_are_carried_into_the_unanswered_items(
    cast: Cast, framework: Framework, ciso: User
) -> None:
    _last_year(framework, ciso)
    target = target_of(campaign(framework, codes=[CHIYODA], title="今年度の調査"), CHIYODA)
    editor = principal(cast.chiyoda)
    services.answer_save(principal=editor, target=target, item_id="ORG-01", option_id="implemented")
    carried = services.target_carry_forward(principal=editor, target=target)
    answers = {
        a.item_id: a.option_id for a in Answer.objects.unscoped("test").filter(target=target)
    }
    assert carried == len(answers) - 1
    assert answers["ORG-01"] == "implemented"  # answered this year: kept
    assert answers["ORG-02"] == "implemented"
    assert answers["ORG-03"] == "partial"


def test_answers_go_through_the_mapping_to_the_next_version(
    cast: Cast, framework: Framework, ciso: User
) -> None:
    _last_year(framework, ciso)
    newer = services.framework_load(principal=SYSTEM, text=_next_version(), source="2027.yaml")
    target = target_of(campaign(newer, codes=[CHIYODA], title="来年度の調査"), CHIYODA)
    editor = principal(cast.chiyoda)
    assert services.target_carry_forward(principal=editor, target=target) == 0  # no mapping yet
    services.mapping_load(principal=SYSTEM, text=MAPPING, source="2026-2027.yaml")
    services.target_carry_forward(principal=editor, target=target)
    answers = {
        a.item_id: a.option_id for a in Answer.objects.unscoped("test").filter(target=target)
    }
    assert answers["ORG-90"] == "implemented"  # ORG-02's answer under its new id
    assert "ORG-02" not in answers
