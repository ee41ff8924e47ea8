"""``mamoru seccloud …``: the security cloud's commands (issue 13).

* ``ingest PATH… --prefecture CODE [--format F] [--device NAME]`` — log files (plain,
  gzip, zstd) into the store, with a progress bar; prints rows read, stored, quarantined;
* ``report --prefecture CODE --month YYYY-MM [--organisation CODE]
  [--format table|json|pdf] [--output FILE]`` — compute and store the month's figures,
  then print them (JSON: the figures by name);
* ``ranges import FILE`` — the municipalities' address ranges (all or nothing);
* ``receive --prefecture CODE`` — the syslog receiver writing to the prefecture's spool;
* ``generate --prefecture CODE --month YYYY-MM --rows N --output DIR`` — synthetic logs.
"""

from __future__ import annotations

import asyncio
import json
import signal
import ssl
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import System
from mamoru.seccloud import engine, reporting, services
from mamoru.seccloud.generation import generate_month
from mamoru.seccloud.models import LogFormat

BAR = 30


class Command(BaseCommand):
    help = "Security cloud: ingest, monthly report, address ranges, syslog receiver, test logs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        ingest = sub.add_parser("ingest", help="ingest log files of one prefecture")
        ingest.add_argument("paths", nargs="+", type=Path)
        ingest.add_argument("--prefecture", required=True)
        ingest.add_argument("--format", default="auto", choices=LogFormat.values)
        ingest.add_argument("--device", default="", help="the device's name (its severity map)")
        report = sub.add_parser("report", help="the monthly report")
        report.add_argument("--prefecture", required=True)
        report.add_argument("--month", required=True, help="YYYY-MM")
        report.add_argument("--organisation", default="")
        report.add_argument("--format", default="table", choices=["table", "json", "pdf"])
        report.add_argument("--output", type=Path)
        ranges = sub.add_parser("ranges", help="address ranges")
        ranges_sub = ranges.add_subparsers(dest="ranges_command", required=True)
        ranges_import = ranges_sub.add_parser("import", help="import a ranges CSV")
        ranges_import.add_argument("file", type=Path)
        receive = sub.add_parser("receive", help="run the syslog receiver")
        receive.add_argument("--prefecture", required=True)
        receive.add_argument("--host", default="127.0.0.1")
        receive.add_argument("--udp-port", type=int, default=514)
        receive.add_argument("--tcp-port", type=int, default=514)
        receive.add_argument("--tls-port", type=int)
        receive.add_argument("--certificate", type=Path)
        receive.add_argument("--key", type=Path)
        receive.add_argument("--max-bytes", type=int, default=256 * 1024 * 1024)
        receive.add_argument("--max-seconds", type=float, default=300.0)
        generate = sub.add_parser("generate", help="write synthetic logs of a prefecture-month")
        generate.add_argument("--prefecture", required=True)
        generate.add_argument("--month", required=True)
        generate.add_argument("--rows", type=int, default=100_000)
        generate.add_argument("--seed", type=int, default=0)
        generate.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        system = System(f"mamoru seccloud {name}")
        try:
            getattr(self, "_" + name)(system, options)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def _bar(self, step: engine.IngestProgress) -> None:
        share = step.bytes_done / step.bytes_total if step.bytes_total else 1.0
        filled = round(share * BAR)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} "
            f"{step.segments_done}/{step.segments_total} {step.rows_done:,}行"
        )
        sys.stderr.flush()

    def _ingest(self, system: System, options: dict[str, Any]) -> None:
        missing = [str(p) for p in options["paths"] if not p.is_file()]
        if missing:
            raise CommandError("ファイルがありません: " + ", ".join(missing))
        run = services.ingest_files(
            principal=system, prefecture=services.prefecture_by_code(options["prefecture"]),
            paths=options["paths"], fmt=options["format"], device_name=options["device"],
            source="mamoru seccloud ingest", progress=self._bar,
        )  # fmt: skip
        sys.stderr.write("\n")
        self.stdout.write(
            f"読み込み {run.rows_read:,}行、保存 {run.rows_stored:,}行、隔離 {run.rows_quarantined:,}行"
            f"（セグメント {run.segments}、うち取り込み済みで省略 {run.segments_skipped}）"
        )

    def _report(self, system: System, options: dict[str, Any]) -> None:
        prefecture = services.prefecture_by_code(options["prefecture"])
        try:
            month = date.fromisoformat(options["month"] + "-01")
        except ValueError as exc:
            raise CommandError("--month は YYYY-MM で指定してください") from exc
        rows = services.figures_compute(principal=system, prefecture=prefecture, month=month)
        code = options["organisation"] or prefecture.code
        row = next((r for r in rows if r.organisation.code == code), None)
        if row is None:
            found = Organisation.objects.unscoped("the command's --organisation").filter(code=code)
            if not found.exists():
                raise CommandError(f"団体が見つかりません: {code}")
            raise CommandError(f"{code} のこの月のログはありません")
        self._write(options, row.figures, row.organisation.name, f"{month:%Y年%-m月}")

    def _write(
        self, options: dict[str, Any], figures: dict[str, Any], name: str, label: str
    ) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "pdf":
            if output is None:
                raise CommandError("PDF は --output FILE に書き出します")
            output.write_bytes(reporting.report_pdf(figures, name=name, month_label=label))
            self.stdout.write(f"{output} に書き出しました")
            return
        text = (
            json.dumps(figures, ensure_ascii=False, indent=2, default=str) + "\n"
            if fmt == "json"
            else reporting.report_table(figures, name=name, month_label=label)
        )
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"{output} に書き出しました")

    def _ranges(self, system: System, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ファイルがありません: {path}")
        count = services.ranges_import(principal=system, data=path.read_bytes(), filename=path.name)
        self.stdout.write(f"アドレス範囲を {count} 件取り込みました")

    def _receive(self, system: System, options: dict[str, Any]) -> None:
        prefecture = services.prefecture_by_code(options["prefecture"])
        context = None
        if options["tls_port"]:
            if not (options["certificate"] and options["key"]):
                raise CommandError("TLS には --certificate と --key が必要です")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(options["certificate"], options["key"])
        config = engine.ReceiverConfig(
            spool=services.spool_root(prefecture), host=options["host"],
            udp_port=options["udp_port"] or None, tcp_port=options["tcp_port"] or None,
            tls_port=options["tls_port"], tls_context=context,
            max_bytes=options["max_bytes"], max_seconds=options["max_seconds"],
        )  # fmt: skip
        self.stdout.write(f"{prefecture.name}のログを {config.spool} に受信します（Ctrl-C で停止）")
        asyncio.run(_serve(config))

    def _generate(self, system: System, options: dict[str, Any]) -> None:
        prefecture = services.prefecture_by_code(options["prefecture"])
        logs = generate_month(
            options["output"], prefecture=prefecture.prefecture_code, month=options["month"],
            rows=options["rows"], seed=options["seed"],
        )  # fmt: skip
        self.stdout.write(
            f"{sum(logs.lines.values()):,}行を {options['output']} に書き出しました"
            f"（ファイル {len(logs.files)}、仕込んだ攻撃 {len(logs.attacks)}）"
        )


async def _serve(config: engine.ReceiverConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await engine.SyslogReceiver(config).run(stop)
