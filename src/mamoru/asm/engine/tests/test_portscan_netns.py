"""Filtered ports, dark hosts and ICMP errors, in a network namespace (root only)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mamoru.asm.engine import cli
from mamoru.asm.engine.model import PortResult, PortState, Target
from mamoru.asm.engine.portscan import PortScanConfig, scan_ports
from mamoru.asm.engine.tests.netns import DROPPED_PORT, OPEN_PORT, NetnsLab, netns_lab

pytestmark = pytest.mark.netns


@pytest.fixture(scope="module")
def lab() -> Iterator[NetnsLab]:
    with netns_lab() as created:
        yield created


def scan(
    items: list[tuple[Target, tuple[int, ...]]], config: PortScanConfig
) -> dict[tuple[str, int], PortResult]:
    async def scenario() -> dict[tuple[str, int], PortResult]:
        return {(r.ip, r.port): r async for r in scan_ports(items, config)}

    return asyncio.run(scenario())


def test_each_kind_of_answer_gives_the_right_state(lab: NetnsLab) -> None:
    items = [
        (Target(lab.service), (7, DROPPED_PORT, OPEN_PORT)),
        (Target(lab.dark), (22, 443)),
        (Target(lab.unreachable), (80, 81, 82)),
    ]
    results = scan(items, PortScanConfig(timeout=0.4, retries=1))
    seen = {key: (result.state, result.reason) for key, result in results.items()}
    assert seen == {
        (lab.service, 7): (PortState.CLOSED, "conn-refused"),
        (lab.service, DROPPED_PORT): (PortState.FILTERED, "no-response"),
        (lab.service, OPEN_PORT): (PortState.OPEN, "syn-ack"),
        (lab.dark, 22): (PortState.FILTERED, "no-response"),
        (lab.dark, 443): (PortState.FILTERED, "no-response"),
        (lab.unreachable, 80): (PortState.FILTERED, "host-unreach"),
        (lab.unreachable, 81): (PortState.FILTERED, "net-unreach"),
        (lab.unreachable, 82): (PortState.CLOSED, "conn-refused"),
    }


def test_an_unanswered_probe_is_sent_once_plus_its_retries(lab: NetnsLab) -> None:
    before = lab.counter("dropped_port")
    results = scan([(Target(lab.service), (DROPPED_PORT,))], PortScanConfig(timeout=0.2, retries=2))
    assert results[lab.service, DROPPED_PORT].state is PortState.FILTERED
    # one SYN per attempt: the kernel's own SYN retransmission (after 1 s) never happens
    assert lab.counter("dropped_port") - before == 3


def test_the_timeout_tightens_once_the_host_has_answered(lab: NetnsLab) -> None:
    config = PortScanConfig(concurrency=1, timeout=3.0, min_timeout=0.1, retries=0)
    started = time.perf_counter()
    results = scan([(Target(lab.service), (*range(1, 9), DROPPED_PORT))], config)
    elapsed = time.perf_counter() - started
    assert results[lab.service, DROPPED_PORT].state is PortState.FILTERED
    assert elapsed < 1.0  # eight resets measured the round trip: the drop costs ~0.1 s, not 3 s


def test_a_dark_host_keeps_the_initial_timeout(lab: NetnsLab) -> None:
    before = lab.counter("dark_host")
    started = time.perf_counter()
    results = scan([(Target(lab.dark), (22,))], PortScanConfig(timeout=0.5, retries=0))
    assert time.perf_counter() - started >= 0.5
    assert results[lab.dark, 22].reason == "no-response"
    assert lab.counter("dark_host") - before == 1


def test_mamoru_scan_reports_the_namespace_in_json(lab: NetnsLab, tmp_path: Path) -> None:
    output = tmp_path / "scan.json"
    code = cli.main(
        [lab.service, lab.dark, "-p", f"7,{DROPPED_PORT},{OPEN_PORT}", "--allow-private",
         "--timeout", "0.3", "--format", "json", "-o", str(output), "--no-identify"]
    )  # fmt: skip
    assert code == cli.EXIT_OK
    document = json.loads(output.read_text(encoding="utf-8"))
    assert [(p["ip"], p["port"]) for p in document["ports"]] == [(lab.service, OPEN_PORT)]
    statistics = document["scanner"]["statistics"]
    assert statistics.pop("elapsed_seconds") > 0
    assert statistics == {"probes": 6, "open": 1, "closed": 1, "filtered": 4}
