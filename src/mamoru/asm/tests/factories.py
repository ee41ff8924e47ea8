"""Factories of the scanning engine's records (plain frozen dataclasses)."""

from __future__ import annotations

import factory

from mamoru.asm.engine.model import Service


class ServiceFactory(factory.Factory):
    class Meta:
        model = Service

    ip = factory.Sequence(lambda n: f"192.0.2.{n % 250 + 1}")
    port = 443
    service = "http"
    product = "nginx"
    version = "1.22.1"
