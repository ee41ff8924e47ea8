"""``mamoru audit verify`` and ``mamoru audit tail [-n N]``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mamoru.audit.selectors import audit_events_latest
from mamoru.audit.verify import BATCH_SIZE, audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain (verify) or show its newest entries (tail)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="detect edited, deleted or forged entries")
        verify.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        tail = sub.add_parser("tail", help="show the newest entries")
        tail.add_argument("-n", "--lines", type=int, default=20, help="how many (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["batch_size"])
        else:
            self._tail(options["lines"])

    def _verify(self, batch_size: int) -> None:
        report = audit_chain_verify(batch_size=batch_size)
        if report.ok:
            self.stdout.write(f"監査ログは正常です（{report.checked}件）")
            return
        for problem in report.problems:
            self.stderr.write(str(problem))
        raise CommandError(
            f"監査ログに{len(report.problems)}件の問題があります（{report.checked}件を検査）",
            returncode=1,
        )

    def _tail(self, lines: int) -> None:
        for event in audit_events_latest(limit=lines):
            when = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
            who = event.actor_username or "-"
            org = event.organisation_code or "-"
            details = json.dumps(event.details, ensure_ascii=False, sort_keys=True)
            self.stdout.write(
                f"#{event.pk} {when} {who} {org} {event.action} {event.target or '-'} "
                f"{event.outcome} {event.ip_address or '-'} {details}"
            )
