"""Post-processing steps of ``mamoru scan`` (``--vulns``), without Django."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence

import jsonschema
import pytest

from mamoru.asm.engine import cli
from mamoru.asm.engine.model import Finding, Service, Severity
from mamoru.asm.engine.output import load_schema
from mamoru.asm.engine.scanner import Stages
from mamoru.asm.engine.tests.inprocess import Captured


@pytest.fixture
def open_port() -> Iterator[int]:
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


async def _identify(ip: str, port: int, *, hostname: str | None, timeout: float) -> Service:
    return Service(ip, port, "ssh", product="OpenSSH", version="9.2p1")


def _invoke(
    argv: list[str], post_steps: Mapping[str, cli.PostStep] | None = None
) -> tuple[int, str, str]:
    stdout, stderr = Captured(), Captured()
    args = cli.build_parser().parse_args(argv)
    code = cli.run(args, stdout=stdout, stderr=stderr, stages=Stages(identify=_identify),
                   post_steps=post_steps)  # fmt: skip
    return code, stdout.getvalue(), stderr.getvalue()


def test_the_engine_cli_refuses_vulns_with_a_clear_message() -> None:
    code, out, err = _invoke(["127.0.0.1", "-p", "1", "--allow-private", "--vulns"])
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert "--vulns needs the local vulnerability database" in err
    assert "mamoru scan --vulns" in err


def test_vulns_without_identification_is_a_usage_error() -> None:
    steps: dict[str, cli.PostStep] = {"vulns": lambda services: []}
    code, _, err = _invoke(["127.0.0.1", "-p", "1", "--allow-private", "--vulns",
                            "--no-identify"], post_steps=steps)  # fmt: skip
    assert code == cli.EXIT_USAGE
    assert "drop --no-identify" in err


def test_an_injected_step_runs_after_the_scan_outside_the_event_loop(open_port: int) -> None:
    seen: list[tuple[list[Service], bool, str]] = []

    def step(services: Sequence[Service]) -> Iterable[Finding]:
        try:
            asyncio.get_running_loop()
            in_loop = True
        except RuntimeError:
            in_loop = False
        seen.append((list(services), in_loop, threading.current_thread().name))
        return [Finding("known-vulnerability", Severity.CRITICAL, "既知の脆弱性",
                        ip=s.ip, port=s.port, details={"cve_ids": "CVE-2024-6387"})
                for s in services]  # fmt: skip

    code, out, err = _invoke(["127.0.0.1", "-p", str(open_port), "--allow-private", "--vulns",
                              "--format", "json", "--fail-on", "high"],
                             post_steps={"vulns": step})  # fmt: skip
    assert code == cli.EXIT_FINDINGS, err
    ((services, in_loop, thread),) = seen
    assert [s.port for s in services] == [open_port]
    assert not in_loop
    assert thread == threading.main_thread().name
    document = json.loads(out)
    jsonschema.validate(document, load_schema())
    assert document["scanner"]["stages"]["vulns"] is True
    assert "--vulns" in document["scanner"]["arguments"]
    assert [f["kind"] for f in document["findings"]] == ["known-vulnerability"]


def test_an_offered_step_does_not_run_without_its_flag(open_port: int) -> None:
    def step(services: Sequence[Service]) -> Iterable[Finding]:
        raise AssertionError("not asked for")

    code, out, _ = _invoke(["127.0.0.1", "-p", str(open_port), "--allow-private", "--format",
                            "json"], post_steps={"vulns": step})  # fmt: skip
    assert code == cli.EXIT_OK
    assert json.loads(out)["scanner"]["stages"]["vulns"] is False


def test_a_failing_step_is_reported_and_the_scan_kept(open_port: int) -> None:
    def step(services: Sequence[Service]) -> Iterable[Finding]:
        raise RuntimeError("no such table: vulns_vulnerability")

    code, out, _ = _invoke(["127.0.0.1", "-p", str(open_port), "--allow-private", "--vulns",
                            "--format", "json"], post_steps={"vulns": step})  # fmt: skip
    assert code == cli.EXIT_OK
    document = json.loads(out)
    assert [p["port"] for p in document["ports"]] == [open_port]
    assert document["errors"] == [{"stage": "vulns", "message": "RuntimeError: no such table: "
                                   "vulns_vulnerability", "ip": None, "port": None,
                                   "hostname": None}]  # fmt: skip
