"""Side-by-side benchmark: ``nmap -sT -sV -T4`` vs mamoru's engine on the lab, in one run.

Starts the lab of real Debian servers on loopback (127.0.77.0/24), runs nmap and then
mamoru's scanner (port scan + identification, with Rapid7 Recog behind our rules when its
databases are found, and separately with the checks too) on the same hosts × ports, and
prints open ports, products named at all, named right and named wrong (false claims)
against the lab's known software, versions, and wall time.
Run: ``.venv/bin/python bench/nmap_compare.py [--recog-dir DIR]``.
Traffic goes to 127.0.77.0/24 only.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET  # parses nmap's own output only
from dataclasses import dataclass, field
from typing import Any, cast

from mamoru.asm.engine.model import PortResult, PortState, Service
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab

LAB_NET = 77
# What each lab product is called, in lower case, by either tool (nmap: "Exim smtpd",
# "Redis key-value store", "NLnet Labs NSD"...): a product counts as right if it names it.
PRODUCT_WORDS = {
    "nginx": "nginx", "Apache httpd": "apache", "OpenSSH": "openssh", "vsftpd": "vsftpd",
    "Redis": "redis", "memcached": "memcached", "PostgreSQL": "postgresql", "Exim": "exim",
    "NSD": "nsd", "Squid": "squid",
}  # fmt: skip


@dataclass
class Result:
    tool: str
    seconds: float = 0.0
    open_ports: set[tuple[str, int]] = field(default_factory=set)
    products: dict[tuple[str, int], str] = field(default_factory=dict)
    versions: dict[tuple[str, int], str] = field(default_factory=dict)
    # seconds each port's identification took (mamoru only; nmap does not report it)
    ident_seconds: dict[tuple[str, int], float] = field(default_factory=dict)
    note: str = ""

    def correct_products(self, truth: dict[tuple[str, int], Endpoint]) -> int:
        return sum(
            1
            for key, product in self.products.items()
            if key in truth and PRODUCT_WORDS[truth[key].product] in product.lower()
        )

    def wrong_products(self, truth: dict[tuple[str, int], Endpoint]) -> int:
        """Products named for a lab service that are not its software: false claims."""
        return len(self.products) - self.correct_products(truth)


def run_nmap(hosts: list[str], ports: list[int]) -> Result:
    """``nmap -sT -sV -T4`` on exactly the lab's hosts and ports, XML on stdout."""
    result = Result("nmap -sT -sV -T4")
    nmap = shutil.which("nmap")
    if nmap is None:
        result.note = "nmap not installed"
        return result
    argv = [
        nmap,
        "-sT",
        "-sV",
        "-T4",
        "-n",
        "-Pn",
        "-p",
        ",".join(map(str, ports)),
        "-oX",
        "-",
        *hosts,
    ]
    started = time.perf_counter()
    output = subprocess.run(argv, capture_output=True, check=True, timeout=900).stdout
    result.seconds = time.perf_counter() - started
    root = ET.fromstring(output)  # noqa: S314 - nmap's own XML
    for host in root.iter("host"):
        address = host.find("address")
        ip = address.get("addr", "") if address is not None else ""
        for port in host.iter("port"):
            state = port.find("state")
            if state is None or state.get("state") != "open":
                continue
            key = (ip, int(port.get("portid", "0")))
            result.open_ports.add(key)
            service = port.find("service")
            if service is not None and service.get("product"):
                result.products[key] = service.get("product", "")
                if service.get("version"):
                    result.versions[key] = service.get("version", "")
    result.note = "nmap -sT -sV -T4 -n -Pn -p <lab ports> -oX - <lab hosts>"
    return result


def _timed(identify: Any, seconds: dict[tuple[str, int], float]) -> Any:
    """Wrap the identify stage to record how long each port's identification took."""

    async def timed(ip: str, port: int, **kwargs: Any) -> Service | None:
        started = time.perf_counter()
        try:
            return cast("Service | None", await identify(ip, port, **kwargs))
        finally:
            seconds[(ip, port)] = time.perf_counter() - started

    return timed


async def run_mamoru(
    hosts: list[str], ports: list[int], *, checks: bool, recog: Any = None
) -> Result:
    """mamoru's scanner on the same hosts and ports (identification; optionally checks)."""
    from mamoru.asm.engine.scanner import ScanOptions, Stages, default_stages, run_scan
    from mamoru.asm.engine.targets import build_plan

    stages = default_stages()
    result = Result("mamoru" + (" + recog" if recog else "") + (" + checks" if checks else ""))
    if stages.identify is None:
        result.note = "identification unavailable (mamoru.asm.engine.identify missing)"
    timed = _timed(stages.identify, result.ident_seconds) if stages.identify else None
    stages = Stages(
        identify=timed,
        check_service=stages.check_service if checks else None,
        check_domain=stages.check_domain if checks else None,
    )
    plan = await build_plan(hosts, allow_private=True)
    options = ScanOptions(ports=tuple(ports), checks=checks, recog=recog)
    findings = 0
    started = time.perf_counter()
    async for event in run_scan(plan, options, stages=stages):
        if isinstance(event, PortResult) and event.state is PortState.OPEN:
            result.open_ports.add((event.ip, event.port))
        elif isinstance(event, Service):
            key = (event.ip, event.port)
            if event.product:
                result.products[key] = event.product
            if event.version:
                result.versions[key] = event.version
        elif not isinstance(event, PortResult) and type(event).__name__ == "Finding":
            findings += 1
    result.seconds = time.perf_counter() - started
    if checks:
        result.note = f"{findings} findings"
    return result


def table(results: list[Result], truth: dict[tuple[str, int], Endpoint]) -> str:
    lines = [
        f"{'tool':<24} {'open':>5} {'products':>9} {'right':>6} {'wrong':>6} {'versions':>9}"
        f" {'seconds':>8}",
        "-" * 73,
    ]
    for r in results:
        lines.append(
            f"{r.tool:<24} {len(r.open_ports):>5} {len(r.products):>9} "
            f"{r.correct_products(truth):>6} {r.wrong_products(truth):>6} {len(r.versions):>9} "
            f"{r.seconds:>8.2f}  {r.note}"
        )
    return "\n".join(lines)


def identification_times(
    result: Result, truth: dict[tuple[str, int], Endpoint], *, show: bool
) -> str:
    """Per-service identification time, slowest first (all of them with ``show``)."""
    rows = sorted(result.ident_seconds.items(), key=lambda item: -item[1])
    if not rows:
        return "identification times: none recorded"
    total = sum(seconds for _, seconds in rows)
    lines = [
        f"identification: {len(rows)} ports, slowest {rows[0][1]:.3f} s, "
        f"mean {total / len(rows):.3f} s"
    ]
    for key, seconds in rows if show else rows[:3]:
        name = truth[key].name if key in truth else f"{key[0]}:{key[1]}"
        lines.append(f"  {name:<11} {key[0]}:{key[1]:<6} {seconds:6.3f} s")
    return "\n".join(lines)


def verdict(nmap: Result, mamoru: Result, truth: dict[tuple[str, int], Endpoint]) -> list[str]:
    """The issue's targets: at least nmap's counts, at most one fifth of its wall time."""
    ratio = mamoru.seconds / nmap.seconds if nmap.seconds else float("inf")
    checks = [
        ("open ports", len(mamoru.open_ports), len(nmap.open_ports)),
        ("products", mamoru.correct_products(truth), nmap.correct_products(truth)),
        ("versions", len(mamoru.versions), len(nmap.versions)),
    ]
    lines = [
        f"{name}: mamoru {m} vs nmap {n} → {'OK' if m >= n else 'BELOW'}" for name, m, n in checks
    ]
    lines.append(f"wall time: mamoru/nmap = {ratio:.3f} (target ≤ 0.200) → "
                 f"{'OK' if ratio <= 0.2 else 'ABOVE'}")  # fmt: skip
    return lines


def _recog(directory: str | None) -> Any:
    """Recog's databases for the identification, or ``None`` (then that row is left out)."""
    from mamoru.asm.engine.identify.recog import RecogError, load_recog
    from mamoru.asm.engine.identify.recog_agreement import recog_dir

    try:
        return load_recog(directory or recog_dir())
    except RecogError as error:
        print(f"recog: not used ({error})", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--show", action="store_true", help="print each tool's product/version")
    parser.add_argument("--recog-dir", default=None, help="Recog databases (default: shared data)")
    args = parser.parse_args(argv)
    recog = _recog(args.recog_dir)
    with Lab(net=LAB_NET) as lab:
        lab.start_all()
        for server, why in lab.errors.items():
            print(f"lab: {server} unavailable: {why.splitlines()[0]}", file=sys.stderr)
        truth = {(e.ip, e.port): e for e in lab.endpoints.values()}
        hosts = sorted({e.ip for e in truth.values()}, key=lambda ip: int(ip.rsplit(".", 1)[1]))
        ports = sorted({e.port for e in truth.values()})
        print(
            f"lab: {len(truth)} services on {len(hosts)} hosts; {len(hosts)} × {len(ports)} probes"
        )
        nmap = run_nmap(hosts, ports)
        mamoru = asyncio.run(run_mamoru(hosts, ports, checks=False))
        extra = [asyncio.run(run_mamoru(hosts, ports, checks=False, recog=recog))] if recog else []
        with_checks = asyncio.run(run_mamoru(hosts, ports, checks=True))
    print(table([nmap, mamoru, *extra, with_checks], truth))
    for result in [mamoru, *extra]:
        print(f"{result.tool}: named at all {len(result.products)}/{len(truth)} lab services, "
              f"false product claims {result.wrong_products(truth)}")  # fmt: skip
    print("\n".join(verdict(nmap, mamoru, truth)))
    print(identification_times(mamoru, truth, show=args.show))
    if args.show:
        for key, endpoint in sorted(truth.items()):
            print(f"{endpoint.name:<11} nmap: {nmap.products.get(key)} {nmap.versions.get(key)}"
                  f" | mamoru: {mamoru.products.get(key)} {mamoru.versions.get(key)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
