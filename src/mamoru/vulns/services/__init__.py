"""Writes of the vulnerability app: feed imports and the observed-service inventory."""

from __future__ import annotations

from mamoru.vulns.services.importing import feed_import
from mamoru.vulns.services.observed import observed_services_record

__all__ = ["feed_import", "observed_services_record"]
