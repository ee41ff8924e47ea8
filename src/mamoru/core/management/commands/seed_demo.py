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
