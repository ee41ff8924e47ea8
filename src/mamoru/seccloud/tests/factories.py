"""Factories of the security-cloud records (factory-boy)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import factory

from mamoru.seccloud.models import Alert


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    rule_id = factory.Sequence(lambda n: f"rule-{n}")
    title = "多数の市区町村に対する探索（集計）"
    level = "high"
    severity_id = 4
    source = "198.51.100.250"
    day = date(2026, 10, 5)
    first_seen = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
    last_seen = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
    events = 62
