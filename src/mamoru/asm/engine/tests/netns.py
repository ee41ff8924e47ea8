"""A throw-away network namespace for scanner tests: filtered ports and dark hosts.

The namespace is joined to the test's own namespace by a veth pair carrying one /24
of the benchmarking range 198.18.0.0/15. Those addresses exist only on that pair, and
the set-up checks that the kernel routes them over it before any test sends a packet.

Inside the namespace, nft rules shape the answers:

* ``service`` (.2): port 8080 listens (a process that never accepts), ports 9-19 are
  dropped (port 9 with a counter), every other port answers with a reset;
* ``dark`` (.3): everything dropped (counted);
* ``unreachable`` (.4): port 80 answers ICMP host-unreachable, 81 net-unreachable,
  82 port-unreachable.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

OPEN_PORT = 8080
DROPPED_PORT = 9

_RULES = """
table inet mamoru_test {{
  counter dropped_port {{}}
  counter dark_host {{}}
  chain input {{
    type filter hook input priority 0; policy accept;
    ip daddr {dark} counter name dark_host drop
    ip daddr {unreachable} tcp dport 80 reject with icmp type host-unreachable
    ip daddr {unreachable} tcp dport 81 reject with icmp type net-unreachable
    ip daddr {unreachable} tcp dport 82 reject with icmp type port-unreachable
    ip daddr {service} tcp dport {dropped} counter name dropped_port drop
    ip daddr {service} tcp dport 10-19 drop
  }}
}}
"""

_LISTENER = (
    "import socket, sys, time\n"
    "s = socket.socket(); s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(128)\n"
    "print('ready', flush=True); time.sleep(600)\n"
)


@dataclass(frozen=True)
class NetnsLab:
    name: str
    host_link: str
    prefix: str  # e.g. "198.18.42"

    @property
    def service(self) -> str:
        return f"{self.prefix}.2"

    @property
    def dark(self) -> str:
        return f"{self.prefix}.3"

    @property
    def unreachable(self) -> str:
        return f"{self.prefix}.4"

    def counter(self, name: str) -> int:
        output = _run("ip", "netns", "exec", self.name, "nft", "-j", "list", "counter",
                      "inet", "mamoru_test", name)  # fmt: skip
        for item in json.loads(output)["nftables"]:
            if "counter" in item:
                return int(item["counter"]["packets"])
        raise AssertionError(f"counter {name} not found")


def _run(*command: str, stdin: str | None = None) -> str:
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, check=True, timeout=20
    ).stdout


def skip_reason() -> str | None:
    """Why namespace tests cannot run here, or ``None``."""
    if os.geteuid() != 0:
        return "network namespace tests need root (ip netns, nft)"
    missing = [tool for tool in ("ip", "nft") if shutil.which(tool) is None]
    if missing:
        return f"network namespace tests need {', '.join(missing)} (iproute2, nftables)"
    return None


def _assert_routed_over(lab: NetnsLab) -> None:
    for address in (lab.service, lab.dark, lab.unreachable):
        route = _run("ip", "-o", "route", "get", address)
        if f"dev {lab.host_link} " not in route:
            raise RuntimeError(f"{address} would not go over {lab.host_link}: {route.strip()}")


@contextlib.contextmanager
def netns_lab() -> Iterator[NetnsLab]:
    """Create the namespace, yield it, and always tear it down."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    tag = os.getpid() % 100_000
    lab = NetnsLab(f"mamoru-test-{tag}", f"mmr{tag}h", f"198.18.{10 + tag % 200}")
    peer = f"mmr{tag}n"
    listener: subprocess.Popen[str] | None = None
    try:
        try:
            _run("ip", "netns", "add", lab.name)
        except subprocess.CalledProcessError as error:
            pytest.skip(f"cannot create a network namespace here: {error.stderr.strip()}")
        _run("ip", "link", "add", lab.host_link, "type", "veth", "peer", "name", peer)
        _run("ip", "link", "set", peer, "netns", lab.name)
        _run("ip", "addr", "add", f"{lab.prefix}.1/24", "dev", lab.host_link)
        _run("ip", "link", "set", lab.host_link, "up")
        for host in (2, 3, 4):
            _run("ip", "-n", lab.name, "addr", "add", f"{lab.prefix}.{host}/24", "dev", peer)
        _run("ip", "-n", lab.name, "link", "set", peer, "up")
        _run("ip", "-n", lab.name, "link", "set", "lo", "up")
        rules = _RULES.format(
            dark=lab.dark, unreachable=lab.unreachable, service=lab.service, dropped=DROPPED_PORT
        )
        _run("ip", "netns", "exec", lab.name, "nft", "-f", "-", stdin=rules)
        _assert_routed_over(lab)
        listener = subprocess.Popen(
            ["ip", "netns", "exec", lab.name, sys.executable, "-c", _LISTENER,
             lab.service, str(OPEN_PORT)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert listener.stdout is not None
        assert listener.stdout.readline().strip() == "ready"
        time.sleep(0.2)  # let the veth carrier come up
        yield lab
    finally:
        if listener is not None:
            listener.kill()
            listener.wait()
            if listener.stdout is not None:
                listener.stdout.close()
        subprocess.run(["ip", "netns", "del", lab.name], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", lab.host_link], capture_output=True, check=False)
