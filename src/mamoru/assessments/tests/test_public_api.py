"""The library's public surface is pinned: a name added or removed is a deliberate change,
and the library runs without Django."""

from __future__ import annotations

import subprocess
import sys

from mamoru.assessments import library


def test_the_public_names_are_pinned() -> None:
    assert sorted(library.__all__) == [
        "ALL",
        "AnswerError",
        "AnswerOption",
        "AnswerSet",
        "CSF_URN",
        "CarriedAnswers",
        "Chapter",
        "Comparison",
        "CsfCatalogue",
        "CsfRef",
        "Dimension",
        "Distribution",
        "Dropped",
        "Framework",
        "FrameworkError",
        "GAP_ORDER_JA",
        "Gap",
        "GroupScore",
        "GuidelineRef",
        "Issue",
        "Item",
        "ItemRate",
        "ItemResult",
        "MIN_GROUP",
        "MIN_OTHERS",
        "MappingRule",
        "OrgRecord",
        "PeerGroup",
        "PeerSnapshot",
        "PeerStatistics",
        "SCORING_RULE_JA",
        "SIZE_CLASSES",
        "SIZE_CLASS_LABELS",
        "SMALL_GROUP",
        "Scope",
        "Scorecard",
        "Scorer",
        "Section",
        "SnapshotError",
        "Status",
        "Strength",
        "Text",
        "VersionMapping",
        "Viewer",
        "carry_forward",
        "chain",
        "default_catalogue",
        "freeze_snapshot",
        "is_disclosive",
        "load_framework",
        "load_mapping",
        "parse_framework",
        "parse_mapping",
        "prioritise_gaps",
        "publication_plan",
        "record_from_scorecard",
        "score",
        "shipped_framework",
        "shipped_frameworks",
        "strengths",
    ]
    for name in library.__all__:
        assert getattr(library, name) is not None


def test_the_library_needs_no_django() -> None:
    code = (
        "import sys\n"
        "from mamoru.assessments.library import shipped_framework, score\n"
        "lg = shipped_framework('urn:mamoru:framework:lg-measures:2026')\n"
        "card = score(lg, 'town', {'ORG-01': 'implemented'})\n"
        "assert card.overall.answered == 1\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
