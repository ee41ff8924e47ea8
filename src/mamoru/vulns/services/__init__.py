"""Writes of the vulnerability app: feed imports and the observed-service inventory."""

from __future__ import annotations

from mamoru.vulns.services.importing import feed_import
from mamoru.vulns.services.observed import (
    ServiceKey,
    observed_services_record,
    observed_services_remove,
)

__all__ = ["ServiceKey", "feed_import", "observed_services_record", "observed_services_remove"]
