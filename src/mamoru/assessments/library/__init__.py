"""The pure core of assessments: framework format, scoring, peer statistics, gaps.

No Django models: plain frozen dataclasses and functions, so that the app, the CLI, the
tasks and the benchmarks all compute the same figures. See ``README.md`` in this folder.
"""

from mamoru.assessments.library.csf import CsfCatalogue, CsfRef
from mamoru.assessments.library.errors import AnswerError, FrameworkError, Issue, SnapshotError
from mamoru.assessments.library.loader import (
    CSF_URN,
    default_catalogue,
    load_framework,
    parse_framework,
    shipped_framework,
    shipped_frameworks,
)
from mamoru.assessments.library.model import (
    SIZE_CLASS_LABELS,
    SIZE_CLASSES,
    AnswerOption,
    AnswerSet,
    Chapter,
    Framework,
    GuidelineRef,
    Item,
    Section,
    Text,
)
from mamoru.assessments.library.scoring import (
    SCORING_RULE_JA,
    GroupScore,
    ItemResult,
    Scorecard,
    Scorer,
    Status,
    score,
)

__all__ = [
    "CSF_URN",
    "SCORING_RULE_JA",
    "SIZE_CLASSES",
    "SIZE_CLASS_LABELS",
    "AnswerError",
    "AnswerOption",
    "AnswerSet",
    "Chapter",
    "CsfCatalogue",
    "CsfRef",
    "Framework",
    "FrameworkError",
    "GroupScore",
    "GuidelineRef",
    "Issue",
    "Item",
    "ItemResult",
    "Scorecard",
    "Scorer",
    "Section",
    "SnapshotError",
    "Status",
    "Text",
    "default_catalogue",
    "load_framework",
    "parse_framework",
    "score",
    "shipped_framework",
    "shipped_frameworks",
]
