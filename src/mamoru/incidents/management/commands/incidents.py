"""``mamoru incidents remind [--enqueue]``: remind reporters of their deadlines."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mamoru.incidents.services import deadline_reminders_send
from mamoru.incidents.tasks import deadline_reminders


class Command(BaseCommand):
    help = "Incident reports: remind reporters of deadlines (idempotent; run it e.g. hourly)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="notify reporters of deadlines due soon or passed")
        remind.add_argument(
            "--enqueue", action="store_true", help="run it as a background task instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = deadline_reminders.enqueue()
            self.stdout.write(f"期限の通知をキューに登録しました（{result.id}）")
            return
        created = deadline_reminders_send()
        self.stdout.write(f"期限の通知を{created}件作成しました")
