"""`make run` says that the demo runs on the public development keys."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mamoru.testing import ensure_organisations


@pytest.mark.django_db
def test_the_demo_warns_that_it_uses_development_keys(settings: Any) -> None:
    ensure_organisations()  # a live-server test before may have flushed them
    out = StringIO()
    call_command("seed_demo", stdout=out)
    warning = out.getvalue().splitlines()[-1]
    assert "開発用の鍵" in warning
    for name in settings.DEVELOPMENT_KEYS:
        assert name in warning
    assert "MAMORU_OTP_ENCRYPTION_KEYS" in warning
