"""``mamoru scan``: the attack-surface scan from the command line.

A thin shell over :mod:`mamoru.asm.engine.cli` (which has no Django import); this
command adds only what Django knows: the ``SCAN_ALLOW_PRIVATE`` setting and, for
``--vulns``, the local vulnerability database (``mamoru.asm.vulnerabilities``).

Nothing heavy is imported with the module: the engine when the command's options are
declared, the vulnerability matcher only when ``--vulns`` is given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandParser

if TYPE_CHECKING:
    from mamoru.asm.engine.model import Finding, Service


def vulnerability_findings(services: Sequence[Service]) -> Iterable[Finding]:
    """The ``--vulns`` step: known vulnerabilities of the identified services."""
    from mamoru.asm.vulnerabilities import vulnerability_findings as findings

    return findings(services)


class Command(BaseCommand):
    help = "Scan the attack surface of the given targets (exit codes: see --help)."
    requires_system_checks: list[str] = []  # a scan needs neither the database nor the apps

    def add_arguments(self, parser: CommandParser) -> None:
        from mamoru.asm.engine import cli

        parser.epilog = (
            "exit codes: 0 done, 1 runtime failure, 2 usage error or bad target, "
            "3 findings at or above --fail-on, 130 interrupted"
        )
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from mamoru.asm.engine import cli

        names = vars(cli.build_parser().parse_args([]))
        namespace = argparse.Namespace(**{name: options[name] for name in names})
        # Django's wrappers would end every write with a newline (and break the progress bar)
        self.stdout.ending = ""
        self.stderr.ending = ""
        code = cli.run(
            namespace,
            stdout=self.stdout,
            stderr=self.stderr,
            allow_private_default=bool(settings.SCAN_ALLOW_PRIVATE),
            post_steps={"vulns": vulnerability_findings},
        )
        if code != cli.EXIT_OK:
            sys.exit(code)
