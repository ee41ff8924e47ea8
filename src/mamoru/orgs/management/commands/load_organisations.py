from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.orgs.loader import BUNDLED_LIST, OrganisationListError, read_local_governments
from mamoru.orgs.principal import System
from mamoru.orgs.services import organisations_import


class Command(BaseCommand):
    help = "Load (or update) the 1,788 local governments and the national bodies. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, default=BUNDLED_LIST, help="CSV of local governments"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_local_governments(options["path"])
        except OrganisationListError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(exc.errors)}件の誤りがあるため、何も変更しませんでした"
            ) from exc
        summary = organisations_import(principal=System("mamoru load-organisations"), rows=rows)
        self.stdout.write(
            f"団体を読み込みました: 新規 {summary.created}、更新 {summary.updated}、変更なし {summary.unchanged}"
        )
