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
from mamoru.assessments.library.peers import (
    ALL,
    Comparison,
    Dimension,
    Distribution,
    ItemRate,
    PeerGroup,
    PeerStatistics,
    Scope,
    Viewer,
    chain,
    publication_plan,
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
from mamoru.assessments.library.snapshot import (
    OrgRecord,
    PeerSnapshot,
    freeze_snapshot,
    record_from_scorecard,
)
from mamoru.assessments.library.suppression import MIN_GROUP, MIN_OTHERS, SMALL_GROUP, is_disclosive

__all__ = [
    "ALL",
    "CSF_URN",
    "MIN_GROUP",
    "MIN_OTHERS",
    "SCORING_RULE_JA",
    "SIZE_CLASSES",
    "SIZE_CLASS_LABELS",
    "SMALL_GROUP",
    "AnswerError",
    "AnswerOption",
    "AnswerSet",
    "Chapter",
    "Comparison",
    "CsfCatalogue",
    "CsfRef",
    "Dimension",
    "Distribution",
    "Framework",
    "FrameworkError",
    "GroupScore",
    "GuidelineRef",
    "Issue",
    "Item",
    "ItemRate",
    "ItemResult",
    "OrgRecord",
    "PeerGroup",
    "PeerSnapshot",
    "PeerStatistics",
    "Scope",
    "Scorecard",
    "Scorer",
    "Section",
    "SnapshotError",
    "Status",
    "Text",
    "Viewer",
    "chain",
    "default_catalogue",
    "freeze_snapshot",
    "is_disclosive",
    "load_framework",
    "parse_framework",
    "publication_plan",
    "record_from_scorecard",
    "score",
    "shipped_framework",
    "shipped_frameworks",
]
