"""``mamoru audit verify [--checkpoint FILE]…``, ``mamoru audit checkpoint`` and
``mamoru audit tail [-n N]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mamoru.audit.checkpoints import Checkpoint, checkpoint_write, checkpoints_from_file
from mamoru.audit.selectors import audit_events_latest
from mamoru.audit.verify import BATCH_SIZE, audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain (verify), anchor it (checkpoint), or show its newest entries (tail)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="detect edited, deleted or forged entries")
        verify.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help="signed checkpoints kept outside the database (repeatable); detects a "
            "chain shortened or rewritten behind any of them",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="write a signed checkpoint now (log, and the checkpoint file)"
        )
        checkpoint.add_argument(
            "--file", default=None, help="append here instead of MAMORU_AUDIT_CHECKPOINT_FILE"
        )
        tail = sub.add_parser("tail", help="show the newest entries")
        tail.add_argument("-n", "--lines", type=int, default=20, help="how many (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["batch_size"], options["checkpoint"])
        elif options["subcommand"] == "checkpoint":
            self.stdout.write(checkpoint_write(path=options["file"]).to_line())
        else:
            self._tail(options["lines"])

    def _checkpoints(self, paths: list[Path]) -> tuple[list[Checkpoint], list[str]]:
        checkpoints: list[Checkpoint] = []
        errors: list[str] = []
        for path in paths:
            try:
                found = checkpoints_from_file(path)
            except OSError as exc:
                raise CommandError(f"検査点ファイル {path} を読めません: {exc}") from exc
            checkpoints += found.checkpoints
            errors += found.errors
        return checkpoints, errors

    def _verify(self, batch_size: int, paths: list[Path]) -> None:
        checkpoints, errors = self._checkpoints(paths)
        report = audit_chain_verify(batch_size=batch_size, checkpoints=checkpoints)
        problems = [*errors, *(str(p) for p in report.problems)]
        anchored = f"、検査点{len(checkpoints)}件と照合" if paths else ""
        if not problems:
            self.stdout.write(f"監査ログは正常です（{report.checked}件{anchored}）")
            return
        for problem in problems:
            self.stderr.write(problem)
        raise CommandError(
            f"監査ログに{len(problems)}件の問題があります（{report.checked}件を検査{anchored}）",
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
