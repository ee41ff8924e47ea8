"""Factories of vulnerability intelligence records (shared, public data)."""

from __future__ import annotations

import datetime as dt

import factory

from mamoru.vulns.models import KevEntry, Vulnerability


class VulnerabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vulnerability
        django_get_or_create = ("id",)

    id = factory.Sequence(lambda n: f"CVE-2026-{n + 10000}")
    title = factory.LazyAttribute(lambda v: f"{v.id} test")


class KevEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KevEntry
        django_get_or_create = ("cve_id",)

    cve_id = factory.Sequence(lambda n: f"CVE-2026-{n + 20000}")
    vendor_project = "Example"
    product = "Appliance"
    date_added = factory.LazyFunction(dt.date.today)
