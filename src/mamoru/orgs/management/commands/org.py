from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.selectors import organisation_list


class Command(BaseCommand):
    help = "Organisations: `mamoru org list [--kind K] [--prefecture CODE] [--format table|json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list organisations")
        listing.add_argument("--kind", choices=[k.value for k in OrganisationKind], default="")
        listing.add_argument("--prefecture", default="", help="2-digit prefecture code, e.g. 13")
        listing.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        prefecture = options["prefecture"]
        if prefecture and (len(prefecture) != 2 or not prefecture.isdigit()):
            raise CommandError(f"--prefecture は2桁の都道府県コードです（例: 13）: {prefecture!r}")
        orgs = organisation_list(kind=options["kind"], prefecture_code=prefecture)
        if options["format"] == "json":
            rows = [
                {
                    "code": o.code,
                    "name": o.name,
                    "kind": o.kind,
                    "prefecture_code": o.prefecture_code,
                    "population": o.population,
                }
                for o in orgs
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for o in orgs:
            population = "" if o.population is None else f"{o.population:>10,}"
            self.stdout.write(f"{o.code:<8} {o.get_kind_display():<8} {o.name:<16} {population}")
