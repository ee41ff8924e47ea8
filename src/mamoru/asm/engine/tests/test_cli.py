from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mamoru.asm.engine import cli
from mamoru.asm.engine.model import Evidence, Finding, Service, Severity, TlsInfo
from mamoru.asm.engine.output import load_schema
from mamoru.asm.engine.scanner import Stages
from mamoru.asm.engine.tests.inprocess import Captured


@pytest.fixture
def open_port() -> Iterator[int]:
    """A loopback listener served by a thread (the CLI runs its own event loop)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        server.close()


def fake_stages(severity: Severity = Severity.HIGH) -> Stages:
    async def identify(
        ip: str, port: int, *, hostname: str | None, timeout: float
    ) -> Service | None:
        tls = TlsInfo(
            versions=("TLSv1.0", "TLSv1.2"), subject_cn="lab.test", self_signed=True, key_bits=2048
        )
        return Service(ip, port, "https", product="nginx", vendor="F5", version="1.22.1",
                       cpe="cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*", tls=tls, hostname=hostname,
                       evidence=(Evidence("http-get", "Server: nginx/1.22.1", "http-nginx"),))  # fmt: skip

    async def check_service(service: Service, *, timeout: float) -> list[Finding]:
        return [Finding("tls-legacy-protocol", severity, "古い TLS 1.0 が有効です", ip=service.ip,
                        port=service.port, evidence=(Evidence("tls-handshake", "TLSv1.0 accepted"),))]  # fmt: skip

    return Stages(identify=identify, check_service=check_service)


def invoke(
    argv: list[str], *, stages: Stages | None = None, allow_private: bool = False, tty: bool = False
) -> tuple[int, str, str]:
    stdout, stderr = Captured(), Captured(tty)
    args = cli.build_parser().parse_args(argv)
    code = cli.run(args, stdout=stdout, stderr=stderr, allow_private_default=allow_private,
                   stages=stages or Stages())  # fmt: skip
    return code, stdout.getvalue(), stderr.getvalue()


def test_json_output_follows_the_schema(open_port: int) -> None:
    code, out, err = invoke(
        ["127.0.0.1", "-p", f"{open_port},1", "--allow-private", "--format", "json"],
        stages=fake_stages(),
    )
    assert (code, err) == (cli.EXIT_OK, "")
    document = json.loads(out)
    jsonschema.Draft202012Validator(
        load_schema(), format_checker=jsonschema.FormatChecker()
    ).validate(document)
    assert document["scanner"]["name"] == "mamoru"
    assert document["scanner"]["statistics"]["probes"] == 2
    assert document["scanner"]["arguments"][:3] == ["127.0.0.1", "--ports", f"{open_port},1"]
    assert [(p["ip"], p["port"], p["state"]) for p in document["ports"]] == [
        ("127.0.0.1", open_port, "open")
    ]
    service = document["services"][0]
    assert (service["product"], service["version"], service["tls"]["versions"]) == (
        "nginx",
        "1.22.1",
        ["TLSv1.0", "TLSv1.2"],
    )
    assert document["findings"][0]["title"] == "古い TLS 1.0 が有効です"
    assert document["errors"] == []


def test_the_schema_rejects_a_document_missing_its_parts() -> None:
    validator = jsonschema.Draft202012Validator(load_schema())
    assert not validator.is_valid({"scanner": {"name": "mamoru"}, "services": []})
    bad_finding = {
        "ip": "8.8.8.8",
        "port": 80,
        "kind": "Bad Kind",
        "severity": "urgent",
        "title": "x",
        "evidence": [],
    }
    assert (
        len(
            list(
                validator.iter_errors(
                    {
                        "scanner": {},
                        "services": [],
                        "ports": [],
                        "errors": [],
                        "findings": [bad_finding],
                    }
                )
            )
        )
        >= 3
    )


def test_table_output_for_people(open_port: int) -> None:
    code, out, _ = invoke(
        ["127.0.0.1", "-p", str(open_port), "--allow-private"], stages=fake_stages()
    )
    assert code == cli.EXIT_OK
    assert f"127.0.0.1  {open_port}/tcp" in out
    assert "nginx" in out
    assert "古い TLS 1.0 が有効です" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "no targets given"),
        (["8.8.8.8", "-p", "http"], "bad port spec item 'http'"),
        (["127.0.0.1"], "'127.0.0.1' is out of scope: loopback"),
        (["foo..bar"], "not a valid hostname"),
        (["8.8.8.8", "--resolver", "dns.example.jp"], "resolver"),
        (["8.8.8.8", "--canary", "127.0.0.1:80"], "canary '127.0.0.1:80' is out of scope"),
        (["8.8.8.8", "--canary", "www.example.jp:80"], "expected IP:PORT"),
        (["8.8.8.8", "--canary", "192.0.2.0/24"], "expected IP:PORT"),
    ],
)
def test_bad_input_exits_with_2_and_says_why(argv: list[str], message: str) -> None:
    code, out, err = invoke(argv)
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert message in err
    assert err.startswith("mamoru scan: error:")


@pytest.mark.parametrize(
    "argv",
    [
        ["8.8.8.8", "--rate", "0"],
        ["8.8.8.8", "--concurrency", "x"],
        ["8.8.8.8", "--format", "xml"],
        ["8.8.8.8", "--vulnerabilities"],
    ],
)
def test_bad_flags_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.build_parser().parse_args(argv)
    assert raised.value.code == cli.EXIT_USAGE
    assert "error:" in capsys.readouterr().err


def test_approved_canaries_reach_the_checks(open_port: int) -> None:
    given: list[tuple[tuple[str, int], ...]] = []

    async def identify(ip: str, port: int, *, hostname: str | None, timeout: float) -> Service:
        return Service(ip, port, "http")

    async def check(
        service: Service, *, timeout: float, canaries: tuple[tuple[str, int], ...] = ()
    ) -> list[Finding]:
        given.append(canaries)
        return []

    argv = ["127.0.0.1", "-p", str(open_port), "--allow-private", "--format", "json",
            "--canary", "127.0.0.9:8080", "--canary", "http://127.0.0.10/"]  # fmt: skip
    code, out, _ = invoke(argv, stages=Stages(identify=identify, check_service=check))
    assert code == cli.EXIT_OK
    assert given == [(("127.0.0.9", 8080), ("127.0.0.10", 80))]
    arguments = json.loads(out)["scanner"]["arguments"]
    assert arguments[1:5] == ["--canary", "127.0.0.9:8080", "--canary", "http://127.0.0.10/"]


def test_the_setting_allows_private_targets_like_the_flag(open_port: int) -> None:
    code, out, _ = invoke(
        ["127.0.0.1", "-p", str(open_port), "--format", "json"], allow_private=True
    )
    assert code == cli.EXIT_OK
    assert json.loads(out)["scanner"]["arguments"][-1] == "--allow-private"


def test_targets_file_and_output_file(open_port: int, tmp_path: Path) -> None:
    targets = tmp_path / "targets.txt"
    targets.write_text("# lab\n127.0.0.1\n127.0.0.2  # second\n", encoding="utf-8")
    output = tmp_path / "out.json"
    code, out, _ = invoke(["--targets-file", str(targets), "-p", str(open_port), "--allow-private",
                           "--format", "json", "--output", str(output), "--no-identify"])  # fmt: skip
    assert (code, out) == (cli.EXIT_OK, "")
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["scanner"]["targets"] == 2
    assert document["scanner"]["stages"] == {
        "identify": False, "checks": False, "dns": False, "vulns": False,
    }  # fmt: skip


def test_an_unwritable_output_is_a_runtime_failure(tmp_path: Path) -> None:
    code, _, err = invoke(
        [
            "127.0.0.1",
            "-p",
            "1",
            "--allow-private",
            "-o",
            str(tmp_path / "no" / "such" / "dir.json"),
        ]
    )
    assert code == cli.EXIT_FAILURE
    assert "mamoru scan: failed:" in err


@pytest.mark.parametrize(
    ("severity", "fail_on", "expected"),
    [
        (Severity.HIGH, "high", 3),
        (Severity.CRITICAL, "medium", 3),
        (Severity.LOW, "high", 0),
        (Severity.HIGH, None, 0),
    ],
)
def test_fail_on_turns_findings_into_exit_3(
    open_port: int, severity: Severity, fail_on: str | None, expected: int
) -> None:
    argv = ["127.0.0.1", "-p", str(open_port), "--allow-private"] + (
        ["--fail-on", fail_on] if fail_on else []
    )
    code, _, _ = invoke(argv, stages=fake_stages(severity))
    assert code == expected


def test_a_terminal_gets_a_progress_bar_that_is_cleared(open_port: int) -> None:
    code, out, err = invoke(["127.0.0.1", "-p", f"{open_port},1-20", "--allow-private"], tty=True)
    assert code == cli.EXIT_OK
    assert "21/21 probes" in err
    assert err.endswith("\r")
    assert "probes" not in out.splitlines()[-1]
    _, _, quiet = invoke(["127.0.0.1", "-p", "1", "--allow-private"], tty=False)
    assert quiet == ""


def test_stage_errors_land_in_the_document(open_port: int) -> None:
    async def broken(ip: str, port: int, *, hostname: str | None, timeout: float) -> Service | None:
        raise ValueError("bad banner")

    code, out, _ = invoke(
        ["127.0.0.1", "-p", str(open_port), "--allow-private", "--format", "json"],
        stages=Stages(identify=broken),
    )
    assert code == cli.EXIT_OK
    errors: list[dict[str, Any]] = json.loads(out)["errors"]
    assert errors == [
        {
            "stage": "identify",
            "message": "ValueError: bad banner",
            "ip": "127.0.0.1",
            "port": open_port,
            "hostname": None,
        }
    ]


def test_the_module_runs_without_django(open_port: int) -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-c",
         "import sys; from mamoru.asm.engine import cli; code = cli.main(sys.argv[1:]); "
         "assert 'django' not in sys.modules, 'django imported'; sys.exit(code)",
         "127.0.0.1", "-p", str(open_port), "--allow-private", "--no-identify", "--format", "json"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["ports"][0]["port"] == open_port
