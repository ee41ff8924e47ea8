"""The demo incident of ``make run`` reaches 東京都, 総務省 and PPC, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from mamoru.incidents.demo import DEMO_TITLE, seed_demo_incident
from mamoru.incidents.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_demo_report_reaches_tokyo_mic_and_ppc_once(cast: object) -> None:
    call_command("seed_demo", stdout=StringIO())
    first = seed_demo_incident()
    again = seed_demo_incident()
    assert first is not None
    assert again == first
    recipients = set(
        Delivery.objects.filter(report__title=DEMO_TITLE).values_list("recipient__code", flat=True)
    )
    assert {"130001", "MIC", "PPC"} <= recipients
