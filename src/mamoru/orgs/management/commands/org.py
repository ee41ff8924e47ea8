from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import System
from mamoru.orgs.selectors import organisation_by_code, organisation_list
from mamoru.orgs.services import organisation_contact_update

_CONTACT = ("desk", "phone", "email", "hours")


class Command(BaseCommand):
    help = (
        "Organisations: `mamoru org list [--kind K] [--prefecture CODE] [--format table|json]`, "
        "`mamoru org contact CODE [--desk D] [--phone P] [--email E] [--hours H]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list organisations")
        listing.add_argument("--kind", choices=[k.value for k in OrganisationKind], default="")
        listing.add_argument("--prefecture", default="", help="2-digit prefecture code, e.g. 13")
        listing.add_argument("--format", choices=["table", "json"], default="table")
        contact = sub.add_parser(
            "contact", help="show or set whom to call about incidents (CSIRT, reporting desk)"
        )
        contact.add_argument("code", help="organisation code, e.g. 130001 or NPA")
        for name in _CONTACT:
            contact.add_argument(f"--{name}", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "contact":
            self._contact(options)
            return
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

    def _contact(self, options: dict[str, Any]) -> None:
        try:
            organisation = organisation_by_code(code=options["code"])
        except Organisation.DoesNotExist:
            raise CommandError(f"団体コードが見つかりません: {options['code']!r}") from None
        given = {name: options[name] for name in _CONTACT if options[name] is not None}
        if given:
            current = {n: getattr(organisation, f"incident_contact_{n}") for n in _CONTACT}
            try:
                organisation = organisation_contact_update(
                    principal=System("mamoru org contact"),
                    organisation=organisation,
                    **{**current, **given},
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        self._show(organisation)

    def _show(self, organisation: Organisation) -> None:
        self.stdout.write(f"{organisation.code} {organisation.name}")
        for name in _CONTACT:
            value = getattr(organisation, f"incident_contact_{name}") or "（未登録）"
            self.stdout.write(f"  {name}: {value}")
