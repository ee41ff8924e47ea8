"""Process plumbing for the lab: loopback addresses, free ports, daemons that always die.

The lab runs real Debian server software. Each daemon is started in the foreground (so
its process is ours to kill), waited for until its port accepts connections, and killed
with its whole process group when the lab stops.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class LabUnavailableError(RuntimeError):
    """A lab server cannot run here (binary missing, not root, ...). Tests skip on it."""


def lab_ip(host: int, *, net: int | None = None) -> str:
    """A loopback address for lab host ``host``; pytest-xdist workers get separate /24s.

    Separate addresses per worker keep parallel test sessions (and the benchmark, which
    passes its own ``net``) from ever talking to each other's daemons.
    """
    if net is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
        net = 150 + (int(worker) if worker.isdigit() else 0) % 90
    return f"127.0.{net}.{host}"


def free_port(ip: str) -> int:
    """A TCP port currently free on ``ip`` (the daemon binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ip, 0))
        port: int = sock.getsockname()[1]
        return port


def port_free(ip: str, port: int) -> bool:
    """Whether ``port`` can be bound on ``ip`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((ip, port))
        except OSError:
            return False
        return True


def need_binary(path: str) -> str:
    """The absolute path of ``path``, or LabUnavailableError with the package to install."""
    found = shutil.which(path) or (path if Path(path).is_file() else None)
    if not found:
        raise LabUnavailableError(
            f"{path} is not installed; run `bash scripts/install-system-packages.sh` as root"
        )
    return found


def need_root(what: str) -> None:
    if os.geteuid() != 0:
        raise LabUnavailableError(f"{what} needs root in the lab (CI runs as root)")


def port_open(ip: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((ip, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class Daemon:
    """One running server process, started in its own process group."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self) -> None:
        """Kill the daemon and everything it forked (workers, children)."""
        for proc in [self.process, *self.extra]:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def spawn(
    name: str,
    argv: Sequence[str],
    *,
    workdir: Path,
    wait_for: Sequence[tuple[str, int]],
    timeout: float = 15.0,
    env: dict[str, str] | None = None,
) -> Daemon:
    """Start ``argv`` in the foreground and wait until every (ip, port) accepts connections."""
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env=env,
            start_new_session=True,  # its own process group, so stop() reaches the children
        )
    daemon = Daemon(name, process, log)
    deadline = time.monotonic() + timeout
    pending = list(wait_for)
    while pending:
        if process.poll() is not None:
            raise LabUnavailableError(
                f"{name} exited with {process.returncode}: {daemon.log_tail()}"
            )
        if time.monotonic() > deadline:
            daemon.stop()
            raise LabUnavailableError(
                f"{name} did not open {pending} in {timeout}s: {daemon.log_tail()}"
            )
        if port_open(*pending[0]):
            pending.pop(0)
        else:
            time.sleep(0.02)
    return daemon


def run(argv: Sequence[str], *, cwd: Path | None = None) -> None:
    """Run a set-up command (initdb, key generation); raise LabUnavailableError if it fails."""
    result = subprocess.run(list(argv), cwd=cwd, capture_output=True, check=False, timeout=60)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).decode(errors="replace")[-2000:]
        raise LabUnavailableError(f"{argv[0]} failed ({result.returncode}): {output}")
