"""The scan report: a JSON document (``schema/scan-result.schema.json``) and a table.

:class:`ScanReport` takes the events of :func:`mamoru.asm.engine.scanner.run_scan` one at a
time. It keeps open ports, services, findings, DNS reports and errors — what a reader
wants — and only counts closed and filtered ports, so its memory follows the number of
open ports, not the number of probes.
"""

from __future__ import annotations

import ipaddress
import json
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from mamoru.asm.engine.model import (
    SOURCE_NOTICES,
    Finding,
    PortResult,
    PortState,
    Service,
    Severity,
)
from mamoru.asm.engine.scanner import DomainReport, ScanError, ScanEvent

__all__ = ["SCHEMA_PATH", "SEVERITY_ORDER", "ScanReport", "load_schema", "scanner_version"]

SCHEMA_PATH = Path(__file__).with_name("schema") / "scan-result.schema.json"
SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(Severity)}  # info=0 … critical=4


def load_schema() -> dict[str, Any]:
    """The JSON Schema of the document :meth:`ScanReport.document` produces."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def scanner_version() -> str:
    """mamoru's installed version."""
    try:
        return metadata.version("mamoru")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _address_key(ip: str) -> tuple[int, int]:
    address = ipaddress.ip_address(ip)
    return address.version, int(address)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [_width(header) for header in headers]
    for row in rows:
        widths = [max(width, _width(cell)) for width, cell in zip(widths, row, strict=True)]
    lines = []
    for row in (headers, *rows):
        cells = [
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


@dataclass(slots=True)
class ScanReport:
    """Everything worth reporting from one scan, and its renderings."""

    arguments: list[str] = field(default_factory=list)
    target_count: int = 0
    probe_total: int = 0
    port_spec: str = ""
    stages: dict[str, bool] = field(default_factory=dict)
    started_at: str = field(default_factory=_now)
    finished_at: str | None = None
    open_ports: list[PortResult] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    domains: list[DomainReport] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    states: Counter[str] = field(default_factory=Counter)
    clock_started: float = field(default_factory=time.monotonic)
    elapsed_seconds: float | None = None

    def start_clock(self) -> None:
        """Start timing the scan itself (after targets were parsed and resolved)."""
        self.clock_started = time.monotonic()

    def add(self, event: ScanEvent) -> None:
        """Take one event of the scan."""
        if isinstance(event, PortResult):
            self.states[event.state.value] += 1
            if event.state is PortState.OPEN:
                self.open_ports.append(event)
        elif isinstance(event, Service):
            self.services.append(event)
        elif isinstance(event, Finding):
            self.findings.append(event)
        elif isinstance(event, DomainReport):
            self.domains.append(event)
        else:
            self.errors.append(event)

    def finish(self) -> None:
        """Stamp the end time (once)."""
        if self.finished_at is None:
            self.finished_at = _now()
            self.elapsed_seconds = round(time.monotonic() - self.clock_started, 3)

    def worst_severity(self) -> Severity | None:
        """The highest severity among the findings, if any."""
        if not self.findings:
            return None
        return max((finding.severity for finding in self.findings), key=SEVERITY_ORDER.__getitem__)

    def _sorted_findings(self) -> list[Finding]:
        return sorted(
            self.findings,
            key=lambda f: (
                -SEVERITY_ORDER[f.severity],
                _address_key(f.ip) if f.ip else (0, 0),
                f.port or 0,
                f.kind,
            ),
        )

    def attributions(self) -> list[dict[str, str]]:
        """The notices owed to the rule sources (other than ours) that named a service."""
        used = sorted({s.source for s in self.services if s.source in SOURCE_NOTICES})
        return [{"source": source, "notice": SOURCE_NOTICES[source]} for source in used]

    def document(self) -> dict[str, Any]:
        """The JSON document; see ``schema/scan-result.schema.json``."""
        self.finish()
        by_endpoint = lambda item: (_address_key(item.ip), item.port)  # noqa: E731
        ports = []
        for result in sorted(self.open_ports, key=by_endpoint):
            entry = asdict(result)
            entry["state"] = result.state.value
            ports.append(entry)
        return {
            "scanner": {
                "name": "mamoru",
                "version": scanner_version(),
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "arguments": list(self.arguments),
                "targets": self.target_count,
                "ports": self.port_spec,
                "stages": dict(self.stages),
                "statistics": {
                    "probes": self.probe_total,
                    "open": self.states["open"],
                    "closed": self.states["closed"],
                    "filtered": self.states["filtered"],
                    "elapsed_seconds": self.elapsed_seconds,
                },
            },
            "ports": ports,
            "services": [service.to_dict() for service in sorted(self.services, key=by_endpoint)],
            "findings": [finding.to_dict() for finding in self._sorted_findings()],
            "dns": [report.to_dict() for report in self.domains],
            "errors": [error.to_dict() for error in self.errors],
            "attributions": self.attributions(),
        }

    def to_json(self) -> str:
        """The document as JSON text (UTF-8, Japanese kept readable)."""
        return json.dumps(self.document(), ensure_ascii=False, indent=2) + "\n"

    def to_table(self) -> str:
        """A plain-text summary for people."""
        self.finish()
        statistics = ", ".join(f"{state} {self.states[state]:,}" for state in PortState)
        lines = [
            f"mamoru {scanner_version()}: {self.target_count:,} addresses, "
            f"{self.probe_total:,} probes ({statistics})",
        ]
        services = {(s.ip, s.port): s for s in self.services}
        rows = []
        for result in sorted(self.open_ports, key=lambda r: (_address_key(r.ip), r.port)):
            service = services.get((result.ip, result.port))
            marked = "*" if service is not None and service.source == "recog" else ""
            rows.append(
                [
                    result.ip,
                    f"{result.port}/{result.transport}",
                    service.service if service else "",
                    (service.product or service.vendor or "") + marked if service else "",
                    service.version or "" if service else "",
                    result.hostname or "",
                ]
            )
        lines += ["", "Open ports:"]
        lines += _table(["ADDRESS", "PORT", "SERVICE", "PRODUCT", "VERSION", "HOSTNAME"], rows)
        lines += [f"* {entry['notice']}" for entry in self.attributions()]
        if self.findings:
            rows = [
                [
                    f.severity.value,
                    f"{f.ip or f.hostname or ''}{f':{f.port}' if f.port else ''}",
                    f.kind,
                    f.title,
                ]
                for f in self._sorted_findings()
            ]
            lines += ["", "Findings:", *_table(["SEVERITY", "WHERE", "KIND", "TITLE"], rows)]
        if self.errors:
            lines += ["", "Errors:"]
            for error in self.errors:
                where = error.ip or error.hostname or ""
                where += f":{error.port}" if error.port else ""
                lines.append(f"  {error.stage} {where}: {error.message}")
        return "\n".join(lines) + "\n"
