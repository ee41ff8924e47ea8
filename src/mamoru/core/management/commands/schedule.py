"""``mamoru schedule list|run NAME|cron``: the periodic jobs declared in code.

* ``list`` — every job with its interval, last run, next run and last outcome;
* ``run NAME`` — enqueue a job now (its next regular slot stays where it was);
* ``cron`` — RQ only: run RQ's cron scheduler, which makes the RQ workers tick.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mamoru.core.models import ScheduleState
from mamoru.core.scheduler import (
    RQ_TICK_NAME,
    ScheduleEntry,
    UnknownJob,
    rq_cron_scheduler,
    schedule_entries,
    schedule_run_now,
    tick_seconds,
)
from mamoru.core.tasks import backend_kind

UNITS = ((86400, "日"), (3600, "時間"), (60, "分"), (1, "秒"))


def every_text(every: timedelta) -> str:
    """``1日``, ``1時間30分``, ``45秒``: an interval as people read it."""
    seconds = int(every.total_seconds())
    parts = []
    for size, unit in UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0秒"


def when_text(moment: datetime | None, missing: str) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else missing


def entry_json(entry: ScheduleEntry) -> dict[str, Any]:
    return {
        "name": entry.job.name,
        "task": entry.job.task.module_path,
        "every_seconds": int(entry.job.every.total_seconds()),
        "last_run_at": entry.last_run_at.isoformat() if entry.last_run_at else None,
        "next_run_at": entry.next_run_at.isoformat() if entry.next_run_at else None,
        "last_outcome": entry.outcome,
        "last_task_id": entry.last_task_id,
        "last_error": entry.last_error,
        "runs": entry.runs,
    }


class Command(BaseCommand):
    help = "Periodic jobs declared in code: list them, run one now, or run RQ's cron scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="jobs, interval, last run, next run, last outcome")
        listing.add_argument("--format", choices=["table", "json"], default="table")
        run = sub.add_parser("run", help="enqueue a job now")
        run.add_argument("name")
        sub.add_parser("cron", help="RQ: run RQ's cron scheduler, which makes the workers tick")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "list":
            self._list(options["format"])
        elif options["subcommand"] == "run":
            self._run(options["name"])
        else:
            self._cron()

    def _list(self, output: str) -> None:
        entries = schedule_entries()
        if output == "json":
            self.stdout.write(json.dumps([entry_json(e) for e in entries], ensure_ascii=False))
            return
        labels = dict(ScheduleState.Outcome.choices)
        self.stdout.write("名前\t間隔\t前回\t次回\t結果")
        for entry in entries:
            outcome = str(labels.get(entry.outcome, entry.outcome))
            if entry.last_error:
                outcome += f": {entry.last_error}"
            row = [
                entry.job.name,
                every_text(entry.job.every),
                when_text(entry.last_run_at, "-"),
                when_text(entry.next_run_at, "次の確認時"),
                outcome,
            ]
            self.stdout.write("\t".join(row))
        if not entries:
            self.stdout.write("定期実行ジョブは宣言されていません")
        self.stdout.write(self._who_ticks())

    def _who_ticks(self) -> str:
        kind = backend_kind()
        if kind == "database":
            return f"定期実行: mamoru worker が{tick_seconds()}秒ごとに確認します"
        if kind == "rq":
            return self._rq_schedulers()
        return "定期実行: この基盤（即時実行）では動きません（mamoru schedule run で実行できます）"

    def _rq_schedulers(self) -> str:
        import django_rq
        from rq.cron import CronScheduler

        alive = [
            s
            for s in CronScheduler.all(django_rq.get_connection())
            if any(job.name == RQ_TICK_NAME for job in s.get_jobs())
        ]
        if not alive:
            return (
                "警告: RQ の定期実行スケジューラが動いていません"
                "（mamoru schedule cron を起動してください）"
            )
        return (
            f"定期実行: RQ の cron スケジューラ {len(alive)} 台が{tick_seconds()}秒ごとに確認します"
        )

    def _run(self, name: str) -> None:
        try:
            result = schedule_run_now(name=name)
        except UnknownJob as exc:
            raise CommandError(exc.args[0]) from exc
        self.stdout.write(f"{name} をキューに登録しました（{result.id}）")

    def _cron(self) -> None:
        kind = backend_kind()
        if kind != "rq":
            raise CommandError(
                "mamoru schedule cron は RQ の場合だけ使います"
                f"（いまの基盤は {kind}: データベースなら mamoru worker が定期実行します）"
            )
        scheduler = rq_cron_scheduler()
        self.stdout.write(
            f"定期実行スケジューラ（RQ cron）: {tick_seconds()}秒ごとに確認します（Ctrl+C で停止）"
        )
        scheduler.start()
