"""The records of attack-surface management: assets and scope (``assets``), scans as
jobs (``scans``), services and findings (``results``), alerts and the dashboards' figures
(``exposure``)."""

from mamoru.asm.models.assets import (
    Asset,
    AssetKind,
    DiscoverySuggestion,
    ScopeState,
    SuggestionSource,
    SuggestionState,
)
from mamoru.asm.models.exposure import (
    AlertNotice,
    ExposureAlert,
    ExposureSnapshot,
    ExposureTotal,
    NationalRollup,
    OrganisationExposure,
)
from mamoru.asm.models.results import (
    UNRESOLVED,
    Finding,
    FindingEvent,
    FindingStatus,
    Priority,
    Service,
)
from mamoru.asm.models.scans import (
    FINISHED_SCAN,
    Campaign,
    JobStatus,
    Scan,
    ScanJob,
    ScanReason,
    ScanSlot,
    ScanStatus,
)

__all__ = [
    "FINISHED_SCAN",
    "UNRESOLVED",
    "AlertNotice",
    "Asset",
    "AssetKind",
    "Campaign",
    "DiscoverySuggestion",
    "ExposureAlert",
    "ExposureSnapshot",
    "ExposureTotal",
    "Finding",
    "FindingEvent",
    "FindingStatus",
    "JobStatus",
    "NationalRollup",
    "OrganisationExposure",
    "Priority",
    "Scan",
    "ScanJob",
    "ScanReason",
    "ScanSlot",
    "ScanStatus",
    "ScopeState",
    "Service",
    "SuggestionSource",
    "SuggestionState",
]
