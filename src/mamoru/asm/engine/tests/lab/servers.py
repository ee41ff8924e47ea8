"""The lab as one object: start any subset of the servers, look up where each one listens.

Used by the pytest fixtures (``fixtures.py``) and by ``bench/nmap_compare.py``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from mamoru.asm.engine.tests.lab import daemons, mail_dns, web
from mamoru.asm.engine.tests.lab.proc import Daemon, LabUnavailableError, lab_ip

# Host numbers inside the lab's /24; one address per site keeps each case separate.
HOSTS = {
    "http": 1, "tls-good": 2, "tls-legacy": 3, "tls-weak": 4, "apache": 5,
    "ssh": 10, "ftp": 11, "redis": 12, "memcached": 13, "postgres": 14,
    "smtp": 30, "dns": 40, "proxy": 50,
}  # fmt: skip
SERVERS = (
    "nginx", "apache", "ssh", "ftp", "redis", "memcached", "postgres", "smtp", "dns", "squid",
)  # fmt: skip


@dataclass(frozen=True)
class Endpoint:
    """Where one lab service listens, and what it is (for the benchmark's ground truth)."""

    name: str
    ip: str
    port: int
    service: str
    product: str
    hostname: str | None = None


class Lab:
    """A set of running lab servers in one temporary directory. Use as a context manager."""

    def __init__(self, *, net: int | None = None) -> None:
        self.net = net
        self.root = Path(tempfile.mkdtemp(prefix="mamoru-lab-"))
        self.root.chmod(0o755)  # the servers' workers (www-data, ftp, ...) must traverse it
        self.daemons: list[Daemon] = []
        self.endpoints: dict[str, Endpoint] = {}
        self.errors: dict[str, str] = {}  # server -> why it could not start
        self.started: set[str] = set()

    def ip(self, name: str) -> str:
        return lab_ip(HOSTS[name], net=self.net)

    def _add(
        self, name: str, port: int, service: str, product: str, host: str | None = None
    ) -> None:
        ip = self.ip(host or name)
        self.endpoints[name] = Endpoint(name, ip, port, service, product)

    def start(self, server: str) -> None:
        """Start one server (one of ``SERVERS``) unless it runs already.

        Raises LabUnavailableError when it cannot run here, and remembers why.
        """
        if server in self.started:
            return
        if server in self.errors:
            raise LabUnavailableError(self.errors[server])
        try:
            getattr(self, f"_start_{server}")()
        except LabUnavailableError as exc:
            self.errors[server] = str(exc)
            raise
        self.started.add(server)

    def start_all(self) -> None:
        """Start every server that can run here; record why the others could not."""
        for server in SERVERS:
            try:
                self.start(server)
            except LabUnavailableError as exc:
                self.errors[server] = str(exc)

    def _start_nginx(self) -> None:
        sites = ("http", "tls-good", "tls-legacy", "tls-weak")
        daemon, addresses = web.start_nginx(self.root, {s: self.ip(s) for s in sites})
        self.daemons.append(daemon)
        for site, (_ip, port) in addresses.items():
            self._add(site, port, "http" if site == "http" else "https", "nginx")
        for site, name in web.TLS_NAMES.items():
            self.endpoints[site] = replace(self.endpoints[site], hostname=name)

    def _start_apache(self) -> None:
        daemon, port = web.start_apache(self.root, self.ip("apache"))
        self.daemons.append(daemon)
        self._add("apache", port, "http", "Apache httpd")

    def _start_ssh(self) -> None:
        daemon, port = daemons.start_sshd(self.root, self.ip("ssh"))
        self.daemons.append(daemon)
        self._add("ssh", port, "ssh", "OpenSSH")

    def _start_ftp(self) -> None:
        daemon, port = daemons.start_vsftpd(self.root, self.ip("ftp"))
        self.daemons.append(daemon)
        self._add("ftp", port, "ftp", "vsftpd")

    def _start_redis(self) -> None:
        daemon, port = daemons.start_redis(self.root, self.ip("redis"))
        self.daemons.append(daemon)
        self._add("redis", port, "redis", "Redis")

    def _start_memcached(self) -> None:
        daemon, port = daemons.start_memcached(self.root, self.ip("memcached"))
        self.daemons.append(daemon)
        self._add("memcached", port, "memcached", "memcached")

    def _start_postgres(self) -> None:
        daemon, port = daemons.start_postgres(self.root, self.ip("postgres"))
        self.daemons.append(daemon)
        self._add("postgres", port, "postgresql", "PostgreSQL")

    def _start_smtp(self) -> None:
        daemon, tls_port, plain_port = mail_dns.start_exim(self.root, self.ip("smtp"))
        self.daemons.append(daemon)
        self._add("smtp", tls_port, "smtp", "Exim")
        self._add("smtp-plain", plain_port, "smtp", "Exim", host="smtp")

    def _start_dns(self) -> None:
        daemon, port = mail_dns.start_nsd(
            self.root, self.ip("dns"), web_ip=self.ip("http"), mail_ip=self.ip("smtp")
        )
        self.daemons.append(daemon)
        self._add("dns", port, "domain", "NSD")

    def _start_squid(self) -> None:
        daemon, port = daemons.start_squid(self.root, self.ip("proxy"))
        self.daemons.append(daemon)
        self._add("proxy", port, "http", "Squid")

    def proxy_log(self) -> list[str]:
        """The URLs the lab's Squid was asked for so far (its access log), in order."""
        log = self.root / "squid" / "access.log"
        if not log.exists():
            return []
        # native format: time elapsed client code/status bytes method URL ...
        return [line.split()[6] for line in log.read_text().splitlines() if len(line.split()) > 6]

    def resolver(self) -> str:
        """The ``HOST:PORT`` of the lab's DNS server, for ``check_domain(resolver=...)``."""
        dns = self.endpoints["dns"]
        return f"{dns.ip}:{dns.port}"

    def stop(self) -> None:
        """Kill every daemon and remove the temporary directory."""
        for daemon in self.daemons:
            daemon.stop()
        self.daemons.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
