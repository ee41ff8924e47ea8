"""``mamoru assessments …``: operators' commands for surveys.

* ``load-frameworks [PATH…]`` — validate and store framework versions (the shipped ones
  when no path is given); a stored URN with another document is refused;
* ``load-mapping PATH`` — store a version mapping between two stored frameworks;
* ``freeze CAMPAIGN_ID`` — freeze a closed campaign's snapshot now (normally a task does
  it when the campaign closes; running it again changes nothing);
* ``remind`` — send the reminders due now (the periodic job does it hourly).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.assessments.library.loader import FRAMEWORKS_DIR
from mamoru.assessments.models import Campaign
from mamoru.assessments.services import (
    campaign_freeze,
    framework_load,
    mapping_load,
    reminders_send,
)
from mamoru.orgs.principal import System


def _errors(exc: ValidationError) -> str:
    return "\n".join(exc.messages)


class Command(BaseCommand):
    help = "Surveys: load frameworks and mappings, freeze a closed campaign, send reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load-frameworks", help="store framework versions (YAML)")
        load.add_argument("paths", nargs="*", type=Path, help="files (default: the shipped ones)")
        mapping = sub.add_parser("load-mapping", help="store a version mapping (YAML)")
        mapping.add_argument("path", type=Path)
        freeze = sub.add_parser("freeze", help="freeze a closed campaign's snapshot")
        freeze.add_argument("campaign", type=int)
        sub.add_parser("remind", help="send the deadline reminders due now")

    def handle(self, *args: Any, **options: Any) -> None:
        system = System(f"mamoru assessments {options['subcommand']}")
        try:
            handler = getattr(self, "_" + options["subcommand"].replace("-", "_"))
            handler(system, options)
        except ValidationError as exc:
            raise CommandError(_errors(exc)) from exc

    def _load_frameworks(self, system: System, options: dict[str, Any]) -> None:
        paths = options["paths"] or sorted(FRAMEWORKS_DIR.glob("*.yaml"))
        for path in paths:
            stored = framework_load(
                principal=system, text=path.read_text(encoding="utf-8"), source=path.name
            )
            self.stdout.write(f"{stored.urn}: {stored.item_count}項目（{stored.name}）")

    def _load_mapping(self, system: System, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        stored = mapping_load(
            principal=system, text=path.read_text(encoding="utf-8"), source=path.name
        )
        self.stdout.write(f"対応付けを登録しました: {stored}")

    def _freeze(self, system: System, options: dict[str, Any]) -> None:
        try:
            campaign = Campaign.objects.unscoped("an operator's command").get(
                pk=options["campaign"]
            )
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"調査 {options['campaign']} はありません") from exc
        snapshot = campaign_freeze(principal=system, campaign=campaign)
        self.stdout.write(
            f"{campaign.title}: {snapshot.organisations}団体で確定（{snapshot.digest[:16]}）"
        )

    def _remind(self, system: System, options: dict[str, Any]) -> None:
        self.stdout.write(f"{reminders_send()}団体に回答期限を通知しました")
