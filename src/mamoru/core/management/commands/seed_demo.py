"""``mamoru seed-demo``: the demo people and data of ``make run`` (never in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from mamoru.core.demo import demo_seeders


class Command(BaseCommand):
    help = "Create the demo people and data of `make run` (never in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("デモデータは本番環境では作成できません")
        autodiscover_modules("demo")
        lines: list[str] = []
        with transaction.atomic():
            for seed in demo_seeders():
                lines += seed()
        for line in lines:
            self.stdout.write(line)
        if settings.DEVELOPMENT_KEYS:
            # The demo's keys are public (they are in settings.py): say so where the demo
            # logins are printed, so nobody mistakes this set-up for a deployment.
            self.stdout.write(
                self.style.WARNING(
                    "注意: このデモは公開されている開発用の鍵で動いています（"
                    + ", ".join(settings.DEVELOPMENT_KEYS)
                    + "）。本番ではこれらとセキュリティ上重要な設定を必ず設定してください"
                    "（README の「Security-relevant settings」）。"
                )
            )
