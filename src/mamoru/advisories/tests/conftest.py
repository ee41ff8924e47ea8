"""Fixtures of the advisories tests: an advisory of the nation to three municipalities."""

from __future__ import annotations

import pytest

from mamoru.advisories.models import Advisory
from mamoru.advisories.testing import publish
from mamoru.progress.testing import principal
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, Cast


@pytest.fixture
def advisory(cast: Cast) -> Advisory:
    return publish(principal(cast.nation), codes=(CHIYODA, HACHIOJI, OSAKA_CITY))
