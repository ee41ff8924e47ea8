"""Test support of the vulnerability intelligence: the fixture feeds and the real KEV."""

from __future__ import annotations

import os
from pathlib import Path

FIXTURES = Path(__file__).parent / "tests" / "fixtures"
REPO = Path(__file__).resolve().parents[3]


def kev_snapshot() -> Path:
    """The real CISA KEV snapshot in shared data (``MAMORU_SHARED_DATA`` overrides)."""
    shared = Path(os.environ.get("MAMORU_SHARED_DATA", REPO.parent / "shared" / "data"))
    return shared / "kev" / "known_exploited_vulnerabilities.json"
