"""``mamoru asm``: the platform's attack-surface diagnosis from the command line.

* ``mamoru asm scan CODE [--wait]`` — queue a scan of an organisation's approved assets
  (the workers run it); with ``--wait``, follow its progress (a bar on a terminal, a line
  per step otherwise) and exit 1 when it failed;
* ``mamoru asm campaign [--prefecture NN] [--name NAME] [--wait]`` — a national campaign;
* ``mamoru asm status SCAN_ID`` — a scan's state and progress;
* ``mamoru asm jobs recover`` — take back the jobs of workers that stopped answering
  (the scheduler does it every ``ASM_RECOVER_SECONDS``);
* ``mamoru asm figures`` — recompute every organisation's figures and the national ranking.

The operator acts as the system (``System("mamoru asm …")``), as with every command.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.asm import services
from mamoru.asm.models import FINISHED_SCAN, Scan, ScanStatus
from mamoru.core.progress import progress_get, progress_text
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import System
from mamoru.orgs.selectors import organisation_by_code


class Bar:
    """Progress on the terminal: one redrawn line (a line per change when not a tty)."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.tty, self.last = stream, stream.isatty(), ""

    def show(self, done: int, total: int, text: str) -> None:
        fraction = min(1.0, done / total) if total else 0.0
        filled = int(fraction * self.WIDTH)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:6.1%} {text}"
        if self.tty:
            self.stream.write("\r" + line[:110].ljust(110))
        elif line != self.last:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.last = line

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Attack-surface diagnosis: queue scans and campaigns, follow them, recover jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        scan = commands.add_parser("scan", help="scan an organisation's approved assets")
        scan.add_argument("code", help="団体コード (6 digits)")
        scan.add_argument("--wait", action="store_true", help="follow the progress to the end")
        scan.add_argument("--poll", type=float, default=1.0, help=argparse.SUPPRESS)
        campaign = commands.add_parser("campaign", help="a national campaign")
        campaign.add_argument("--prefecture", default="", help="two-digit prefecture code")
        campaign.add_argument("--name", default="全国診断")
        campaign.add_argument("--wait", action="store_true")
        campaign.add_argument("--poll", type=float, default=1.0, help=argparse.SUPPRESS)
        status = commands.add_parser("status", help="a scan's state and progress")
        status.add_argument("scan_id", type=int)
        jobs = commands.add_parser("jobs", help="scan jobs")
        jobs.add_argument("what", choices=["recover"])
        commands.add_parser("figures", help="recompute the dashboards' figures")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        system = System(f"mamoru asm {action}")
        if action == "scan":
            self._scan(system, options)
        elif action == "campaign":
            self._campaign(system, options)
        elif action == "status":
            self._status(options["scan_id"])
        elif action == "jobs":
            outcome = services.jobs_recover()
            self.stdout.write(
                f"再実行: {len(outcome['requeued'])}件、失敗として記録: {len(outcome['failed'])}件、"
                f"実行開始: {len(outcome['dispatched'])}件"
            )
        else:
            count = services.exposure_refresh_all()
            services.national_rollup_refresh()
            self.stdout.write(f"{count}団体の集計と全国の順位を更新しました")

    def _scan(self, system: System, options: dict[str, Any]) -> None:
        try:
            organisation = organisation_by_code(code=options["code"])
        except Organisation.DoesNotExist as error:
            raise CommandError(f"団体コード {options['code']} はありません") from error
        scan = services.scan_request(principal=system, organisation=organisation)
        self.stdout.write(
            f"診断 {scan.pk} を登録しました（{organisation.name}、作業 {scan.jobs_total} 件）"
        )
        if options["wait"]:
            self._follow([scan.pk], options["poll"])

    def _campaign(self, system: System, options: dict[str, Any]) -> None:
        campaign = services.campaign_start(
            principal=system, name=options["name"], prefecture_code=options["prefecture"]
        )
        ids = list(
            Scan.objects.unscoped("the operator follows the campaign it started")
            .filter(campaign=campaign)
            .values_list("pk", flat=True)
        )
        self.stdout.write(f"全国診断 {campaign.pk} を開始しました（{len(ids)}団体）")
        if options["wait"]:
            self._follow(ids, options["poll"])

    def _scans(self, ids: list[int]) -> list[Scan]:
        return list(Scan.objects.unscoped("the operator follows its scans").filter(pk__in=ids))

    def _follow(self, ids: list[int], poll: float) -> None:
        bar = Bar(sys.stderr)
        while True:
            scans = self._scans(ids)
            progress = [progress_get(task_id=s.progress_key) for s in scans]
            done = sum(p.done for p in progress if p)
            total = sum(s.probes_total for s in scans)
            finished = sum(s.status in FINISHED_SCAN for s in scans)
            bar.show(done, total, f"{finished}/{len(scans)} 件の診断が終了")
            if finished == len(scans):
                break
            time.sleep(poll)
        bar.close()
        failed = [s for s in scans if s.status == ScanStatus.FAILED]
        for scan in scans:
            for note in scan.notes:
                self.stdout.write(f"診断 {scan.pk}: {note}")
        self.stdout.write(f"終了: {len(scans) - len(failed)}件成功、{len(failed)}件失敗")
        if failed:
            sys.exit(1)

    def _status(self, scan_id: int) -> None:
        scan = Scan.objects.unscoped("the operator reads a scan's state").filter(pk=scan_id).first()
        if scan is None:
            raise CommandError(f"診断 {scan_id} はありません")
        self.stdout.write(f"{scan.pk} {scan.organisation.name} {scan.get_status_display()}")
        self.stdout.write(progress_text(progress_get(task_id=scan.progress_key)))
        for note in scan.notes:
            self.stdout.write(note)
