"""``mamoru scan``: argument parsing and running, with no Django import.

The Django management command (``mamoru.asm.management.commands.scan``) is a thin shell
around :func:`add_arguments` and :func:`run`; ``python -m mamoru.asm.engine.cli`` runs the
same code without Django.

Exit codes:

* 0 — the scan ran (whatever it found, unless ``--fail-on`` says otherwise);
* 1 — runtime failure: the scan could not run or its output could not be written;
* 2 — usage error: bad flag, bad target, out-of-scope target, unresolvable name, bad ports;
* 3 — the scan ran and found something at or above the ``--fail-on`` severity;
* 130 — interrupted (Ctrl-C).

Post-processing steps run after the scan, outside the event loop, on every identified
service: the caller injects them (``run(..., post_steps={"vulns": ...})``) and the flag of
the same name turns each on. The Django command injects ``vulns`` (the local vulnerability
database); this module alone cannot, so ``python -m mamoru.asm.engine.cli --vulns`` is a
usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TextIO

from mamoru.asm.engine.model import Finding, Service, Severity
from mamoru.asm.engine.output import SEVERITY_ORDER, ScanReport
from mamoru.asm.engine.ports import PortSpecError, format_ports, parse_ports
from mamoru.asm.engine.portscan import PortScanConfig
from mamoru.asm.engine.scanner import ScanError, ScanOptions, Stages, default_stages, run_scan
from mamoru.asm.engine.targets import (
    TargetError,
    TargetPlan,
    build_plan,
    parse_canary,
    parse_resolver,
    read_targets_file,
)

__all__ = [
    "EXIT_FAILURE",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PostStep",
    "add_arguments",
    "build_parser",
    "main",
    "run",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_FINDINGS = 3
EXIT_INTERRUPTED = 130

_DEFAULTS = PortScanConfig()

PostStep = Callable[[Sequence[Service]], Iterable[Finding]]
"""A step run after the scan on all identified services; its findings join the report."""


class Stream(Protocol):
    """Where text goes: a file, ``sys.stderr`` or Django's ``OutputWrapper``."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> None: ...

    def isatty(self) -> bool: ...


class UsageError(Exception):
    """Bad input from the user: exit code 2."""


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _bounded_int(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number {low}-{high}, got {text!r}")
        return int(text)

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``mamoru scan`` on ``parser`` (shared with the Django command)."""
    parser.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="hostname, IPv4/IPv6 address, CIDR range or URL (host and port are taken from it)",
    )
    parser.add_argument(
        "--targets-file",
        action="append",
        default=[],
        metavar="FILE",
        help="read targets from FILE, one per line, '#' starts a comment (repeatable)",
    )
    parser.add_argument(
        "-p",
        "--ports",
        default="top1000",
        metavar="SPEC",
        help="ports: 22,80,443 / 1-1024 / top100 / top1000 / all, mixed (default: top1000)",
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        default=None,
        help="allow private, loopback, link-local, CGNAT, documentation and reserved addresses",
    )
    parser.add_argument(
        "--resolver",
        metavar="HOST[:PORT]",
        help="DNS server to resolve names and run DNS checks with (default: the system's)",
    )
    parser.add_argument(
        "--rate",
        type=_positive_float,
        default=_DEFAULTS.rate,
        metavar="N",
        help=f"at most N probes per second, retries included (default: {_DEFAULTS.rate:g})",
    )
    parser.add_argument(
        "--concurrency",
        type=_bounded_int(1, 50000),
        default=_DEFAULTS.concurrency,
        metavar="N",
        help=f"at most N connects in flight (default: {_DEFAULTS.concurrency})",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=_DEFAULTS.timeout,
        metavar="S",
        help="initial and longest wait for an answer to a probe, in seconds; it tightens to "
        f"each host's measured round trip (default: {_DEFAULTS.timeout:g})",
    )
    parser.add_argument(
        "--retries",
        type=_bounded_int(0, 10),
        default=_DEFAULTS.retries,
        metavar="N",
        help=f"probes repeated when unanswered (default: {_DEFAULTS.retries})",
    )
    parser.add_argument(
        "--canary",
        action="append",
        default=[],
        metavar="IP:PORT",
        help="an approved in-scope web page the open-proxy check may ask a proxy to fetch, "
        "besides the web services the scan finds itself (repeatable; same scope rules as "
        "targets)",
    )
    parser.add_argument(
        "--recog-dir",
        default=os.environ.get("MAMORU_RECOG_DIR") or None,
        metavar="DIR",
        help="Rapid7 Recog's XML databases (BSD-2-Clause, https://github.com/rapid7/recog) "
        "as a second fingerprint source behind mamoru's own rules "
        "(default: $MAMORU_RECOG_DIR; none when unset)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--no-identify", action="store_true", help="only scan ports (no service identification)"
    )
    parser.add_argument("--no-checks", action="store_true", help="skip the weakness checks")
    parser.add_argument(
        "--vulns",
        action="store_true",
        help="add known-vulnerability and known-exploited-vulnerability findings for the "
        "identified services from the local vulnerability database (see 'mamoru vulns "
        "import'); only through 'mamoru scan', not python -m mamoru.asm.engine.cli",
    )
    parser.add_argument(
        "--fail-on",
        choices=[severity.value for severity in Severity],
        metavar="SEVERITY",
        help="exit with 3 when a finding at or above SEVERITY exists "
        "(info, low, medium, high, critical)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The stand-alone parser of ``mamoru scan``."""
    parser = argparse.ArgumentParser(
        prog="mamoru scan",
        description="Scan the attack surface of the given targets.",
        epilog="exit codes: 0 done, 1 runtime failure, 2 usage error or bad target, "
        "3 findings at or above --fail-on, 130 interrupted",
    )
    add_arguments(parser)
    return parser


def _canonical_arguments(args: argparse.Namespace, allow_private: bool) -> list[str]:
    # Rebuilt from the parsed options so the report says the same thing whether the scan
    # came from the command line, call_command() or a task.
    words = list(args.targets)
    for file_name in args.targets_file:
        words += ["--targets-file", file_name]
    for canary in getattr(args, "canary", None) or ():
        words += ["--canary", canary]
    words += ["--ports", args.ports, "--rate", f"{args.rate:g}"]
    words += ["--concurrency", str(args.concurrency), "--timeout", f"{args.timeout:g}"]
    words += ["--retries", str(args.retries), "--format", args.format]
    optional = {
        "--resolver": args.resolver,
        "--output": args.output,
        "--fail-on": args.fail_on,
        "--recog-dir": getattr(args, "recog_dir", None),
    }
    words += [word for flag, value in optional.items() if value for word in (flag, value)]
    flags = {
        "--allow-private": allow_private,
        "--no-identify": args.no_identify,
        "--no-checks": args.no_checks,
        "--vulns": getattr(args, "vulns", False),
    }
    return words + [flag for flag, on in flags.items() if on]


class _ProgressBar:
    """A one-line progress bar on a terminal, redrawn at most ten times a second."""

    _WIDTH = 30

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn < 0.1 and done < total:
            return
        self.drawn = now
        fraction = done / total if total else 1.0
        filled = int(fraction * self._WIDTH)
        rate = done / max(now - self.started, 1e-9)
        bar = "#" * filled + "." * (self._WIDTH - filled)
        self.stream.write(f"\r[{bar}] {fraction:6.1%}  {done:,}/{total:,} probes  {rate:,.0f}/s ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (self._WIDTH + 60) + "\r")
        self.stream.flush()


def _ensure_descriptors(wanted: int) -> int:
    """Raise the descriptor limit towards ``wanted``; return how many are available."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return wanted if soft == resource.RLIM_INFINITY else soft


def _collect_targets(args: argparse.Namespace) -> list[str]:
    texts = list(args.targets)
    for file_name in args.targets_file:
        texts += read_targets_file(file_name)
    if not texts:
        raise UsageError("no targets given (pass TARGET arguments or --targets-file)")
    return texts


def _options(args: argparse.Namespace, stderr: Stream, *, allow_private: bool) -> ScanOptions:
    ports = parse_ports(args.ports)
    canaries = tuple(
        parse_canary(text, allow_private=allow_private)
        for text in getattr(args, "canary", None) or ()
    )
    if args.resolver:
        parse_resolver(args.resolver)
    identify_concurrency = 64
    spare = 64 + 2 * identify_concurrency  # identification, DNS, the report file
    available = _ensure_descriptors(args.concurrency + spare)
    concurrency = args.concurrency
    if concurrency + spare > available:
        concurrency = max(1, available - spare)
        stderr.write(
            f"mamoru scan: warning: only {available} file descriptors; "
            f"concurrency lowered to {concurrency}\n"
        )
    portscan = PortScanConfig(
        concurrency=concurrency,
        rate=args.rate,
        timeout=args.timeout,
        min_timeout=min(_DEFAULTS.min_timeout, args.timeout),
        retries=args.retries,
    )
    return ScanOptions(
        ports=ports,
        portscan=portscan,
        identify=not args.no_identify,
        checks=not args.no_checks,
        resolver=args.resolver,
        service_timeout=max(5.0, args.timeout),
        identify_concurrency=identify_concurrency,
        canaries=canaries,
        recog=_recog(args) if not args.no_identify else None,
    )


def _recog(args: argparse.Namespace) -> Any:
    directory = getattr(args, "recog_dir", None)
    if not directory:
        return None
    from mamoru.asm.engine.identify.recog import RecogError, load_recog

    try:
        return load_recog(directory)
    except RecogError as error:
        raise UsageError(str(error)) from None


def _active_stages(options: ScanOptions, stages: Stages | None) -> Stages:
    if not options.identify and not options.checks:
        return Stages()  # a port scan alone: spare the import of the stages
    stages = stages if stages is not None else default_stages()
    return Stages(
        identify=stages.identify if options.identify else None,
        check_service=stages.check_service if options.checks and options.identify else None,
        check_domain=stages.check_domain if options.checks else None,
    )


async def _scan(
    plan: TargetPlan, options: ScanOptions, stages: Stages, report: ScanReport, stderr: Stream
) -> None:
    bar = _ProgressBar(stderr) if stderr.isatty() else None
    report.start_clock()
    try:
        async for event in run_scan(plan, options, stages=stages, progress=bar):
            report.add(event)
    finally:
        if bar is not None:
            bar.close()


def _post_process(report: ScanReport, steps: Mapping[str, PostStep]) -> None:
    # outside the event loop: a step may use blocking code (Django's ORM refuses to run
    # inside one)
    for name, step in steps.items():
        try:
            findings = list(step(list(report.services)))
        except Exception as error:  # a step's failure is reported, the scan's results kept
            report.add(ScanError(name, f"{type(error).__name__}: {error}"))
            continue
        for finding in findings:
            report.add(finding)


def _enabled_steps(
    args: argparse.Namespace, options: ScanOptions, available: Mapping[str, PostStep] | None
) -> dict[str, PostStep]:
    if not getattr(args, "vulns", False):
        return {}
    if available is None or "vulns" not in available:
        raise UsageError(
            "--vulns needs the local vulnerability database, which only the Django command "
            "reaches: run 'mamoru scan --vulns …' instead of python -m mamoru.asm.engine.cli"
        )
    if not options.identify:
        raise UsageError("--vulns matches identified services: drop --no-identify")
    return {"vulns": available["vulns"]}


def _execute(
    *,
    texts: list[str],
    options: ScanOptions,
    stages: Stages,
    steps: Mapping[str, PostStep],
    report: ScanReport,
    args: argparse.Namespace,
    allow_private: bool,
    stdout: Stream,
    stderr: Stream,
) -> None:
    plan = asyncio.run(
        build_plan(
            texts,
            allow_private=allow_private,
            resolver=options.resolver,
            timeout=options.service_timeout,
        )
    )
    report.target_count = plan.address_count()
    report.probe_total = plan.probe_count(options.ports)
    # the output is opened once the targets are known good and before the scan, so an
    # unwritable path fails at once rather than after an hour of scanning
    with _destination(args.output, stdout) as destination:
        # What is alive now (Django's apps, the rules, the plan) lives as long as the
        # process: kept out of the collector, it is not traversed again by every
        # collection the scan's many short-lived futures trigger.
        gc.freeze()
        try:
            asyncio.run(_scan(plan, options, stages, report, stderr))
        finally:
            gc.unfreeze()
        _post_process(report, steps)
        report.finish()
        destination.write(report.to_json() if args.format == "json" else report.to_table())
        destination.flush()


@contextlib.contextmanager
def _destination(path: str | None, stdout: Stream) -> Iterator[Stream]:
    if path is None:
        yield stdout
        return
    with open(path, "w", encoding="utf-8") as handle:
        yield _FileStream(handle)


class _FileStream:
    def __init__(self, handle: TextIO) -> None:
        self.handle = handle

    def write(self, text: str, /) -> object:
        return self.handle.write(text)

    def flush(self) -> None:
        self.handle.flush()

    def isatty(self) -> bool:
        return False


def _exit_code(report: ScanReport, fail_on: str | None) -> int:
    worst = report.worst_severity()
    if fail_on and worst and SEVERITY_ORDER[worst] >= SEVERITY_ORDER[Severity(fail_on)]:
        return EXIT_FINDINGS
    return EXIT_OK


def run(
    args: argparse.Namespace,
    *,
    stdout: Stream,
    stderr: Stream,
    allow_private_default: bool = False,
    stages: Stages | None = None,
    post_steps: Mapping[str, PostStep] | None = None,
) -> int:
    """Run a scan for parsed ``args``; return the exit code (see the module docstring).

    ``post_steps`` are the post-processing steps the caller can offer (``"vulns"``); each
    runs when its flag is given.
    """
    allow_private = bool(args.allow_private) or allow_private_default
    try:
        texts = _collect_targets(args)
        options = _options(args, stderr, allow_private=allow_private)
        steps = _enabled_steps(args, options, post_steps)
        active = _active_stages(options, stages)
        report = ScanReport(
            arguments=_canonical_arguments(args, allow_private),
            port_spec=format_ports(options.ports),
            stages={
                "identify": active.identify is not None,
                "checks": active.check_service is not None,
                "dns": active.check_domain is not None,
                "vulns": "vulns" in steps,
            },
        )
        _execute(
            texts=texts,
            options=options,
            stages=active,
            steps=steps,
            report=report,
            args=args,
            allow_private=allow_private,
            stdout=stdout,
            stderr=stderr,
        )
    except (UsageError, TargetError, PortSpecError) as error:
        stderr.write(f"mamoru scan: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("mamoru scan: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as error:  # anything else is a runtime failure, reported in one line
        stderr.write(f"mamoru scan: failed: {type(error).__name__}: {error}\n")
        return EXIT_FAILURE
    return _exit_code(report, args.fail_on)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m mamoru.asm.engine.cli``."""
    args = build_parser().parse_args(argv)
    return run(args, stdout=sys.stdout, stderr=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
