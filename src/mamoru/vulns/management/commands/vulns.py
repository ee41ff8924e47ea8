"""``mamoru vulns import|status|match``: a thin shell over the vulnerability services."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.vulns.importers import IMPORTERS
from mamoru.vulns.importers.feed import FeedError
from mamoru.vulns.matching import Matcher, VulnerabilityMatch, parse_banner
from mamoru.vulns.observed import ObservedProduct
from mamoru.vulns.selectors import import_status, table_counts
from mamoru.vulns.services import feed_import


class _Progress:
    """Records counted on stderr: one rewritten line on a terminal, a line per step otherwise."""

    def __init__(self, stream: TextIO, every: int = 10_000) -> None:
        self.stream, self.every, self.last = stream, every, 0
        self.tty = stream.isatty()

    def __call__(self, count: int) -> None:
        if self.tty:
            self.stream.write(f"\r{count:,} records")
            self.stream.flush()
        elif count - self.last >= self.every:
            self.stream.write(f"{count:,} records\n")
            self.last = count

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Vulnerability intelligence: import feeds, show what is loaded, explain matches."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importer = commands.add_parser("import", help="import a feed from a file or a URL")
        importer.add_argument("source", choices=sorted(IMPORTERS))
        where = importer.add_mutually_exclusive_group(required=True)
        where.add_argument("--file", type=Path, help="a file, directory or zip")
        where.add_argument("--url", help="an http(s) URL to download the feed from")
        commands.add_parser("status", help="what is loaded, and from when")
        match = commands.add_parser("match", help="explain which vulnerabilities apply")
        match.add_argument("--product")
        match.add_argument("--version")
        match.add_argument("--vendor")
        match.add_argument("--cpe")
        match.add_argument("--banner", help="e.g. 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3'")
        match.add_argument("--service", default="", help="protocol, e.g. ssh or https")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "status":
            self._status()
        else:
            self._match(options)

    def _import(self, options: dict[str, Any]) -> None:
        progress = _Progress(sys.stderr)
        try:
            log = feed_import(
                source=options["source"], path=options["file"], url=options["url"],
                progress=progress,
            )  # fmt: skip
        except FeedError as error:
            raise CommandError(f"import failed, nothing was changed: {error}") from error
        finally:
            progress.done()
        counts = ", ".join(f"{k} {v}" for k, v in sorted(log.counts.items()))
        version = f" (feed {log.feed_version})" if log.feed_version else ""
        self.stdout.write(f"{log.source}: imported from {log.location}{version}: {counts}")

    def _status(self) -> None:
        for name, count in table_counts().items():
            self.stdout.write(f"{name:20} {count:>10,}")
        statuses = import_status()
        if not statuses:
            self.stdout.write("no feed imported yet")
        for status in statuses:
            when = (
                status.last_success.isoformat(timespec="seconds")
                if status.last_success
                else "never"
            )
            line = f"{status.source:6} last import {when}"
            if status.feed_version:
                line += f" feed {status.feed_version}"
            self.stdout.write(line)
            if status.last_error:
                self.stdout.write(f"       last error: {status.last_error}")

    def _match(self, options: dict[str, Any]) -> None:
        if options["banner"]:
            service = parse_banner(options["banner"])
        elif options["product"] or options["cpe"]:
            service = ObservedProduct(
                ip="0.0.0.0", port=0, service=options["service"], product=options["product"],  # noqa: S104
                vendor=options["vendor"], version=options["version"], cpe=options["cpe"],
            )  # fmt: skip
        else:
            raise CommandError("give --product (with --version), --cpe or --banner")
        matches = Matcher().match(service)
        version = service.version or "?"
        self.stdout.write(f"{service.product or service.cpe} {version}: {len(matches)} match(es)")
        for match in matches:
            self._explain(match)

    def _explain(self, match: VulnerabilityMatch) -> None:
        write = self.stdout.write
        kev = f" KEV (due {match.kev_due})" if match.kev else ""
        epss = f" EPSS {match.epss:.3f}" if match.epss is not None else ""
        cvss = f" CVSS {match.cvss:.1f}" if match.cvss is not None else ""
        write(f"- {match.vulnerability_id} [{match.priority.label}]{kev}{epss}{cvss}")
        write(f"  {match.title_ja}")
        write(f"  rule {match.rule}: {match.range}; confidence {match.confidence:.2f}")
        for reason in match.reasons:
            write(f"  * {reason}")
        write(f"  対応: {match.action_ja}")
