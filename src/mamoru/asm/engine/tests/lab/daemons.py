"""OpenSSH, vsftpd, Redis, memcached and PostgreSQL for the lab, each with its own config."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

from mamoru.asm.engine.tests.lab.proc import (
    Daemon,
    LabUnavailableError,
    free_port,
    need_binary,
    need_root,
    port_free,
    run,
    spawn,
)


def start_sshd(root: Path, ip: str) -> tuple[Daemon, int]:
    """OpenSSH's sshd in the foreground (``-D``) with its own host key; no logins accepted."""
    binary = need_binary("/usr/sbin/sshd")
    need_root("sshd")  # privilege separation needs root and /run/sshd
    work = root / "sshd"
    work.mkdir()
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    key = work / "host_ed25519"
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)])
    port = free_port(ip)
    conf = work / "sshd_config"
    conf.write_text(
        f"ListenAddress {ip}:{port}\nHostKey {key}\nPidFile {work}/sshd.pid\n"
        "UsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "AllowUsers nobody-in-the-lab\n"
    )
    daemon = spawn(
        "sshd", [binary, "-D", "-e", "-f", str(conf), "-h", str(key)], workdir=work,
        wait_for=[(ip, port)],
    )  # fmt: skip
    return daemon, port


def start_vsftpd(root: Path, ip: str) -> tuple[Daemon, int]:
    """vsftpd with anonymous login (read-only) and no TLS."""
    binary = need_binary("/usr/sbin/vsftpd")
    need_root("vsftpd")  # it checks that its config belongs to root and drops to 'ftp'
    work = root / "vsftpd"
    (work / "anon").mkdir(parents=True)
    (work / "anon" / "readme.txt").write_text("public files\n")
    for path in (work, work / "anon"):
        path.chmod(0o755)
    Path("/var/run/vsftpd/empty").mkdir(parents=True, exist_ok=True)
    port = free_port(ip)
    conf = work / "vsftpd.conf"
    conf.write_text(
        f"listen=YES\nlisten_ipv6=NO\nlisten_address={ip}\nlisten_port={port}\n"
        f"background=NO\nanonymous_enable=YES\nanon_root={work / 'anon'}\n"
        "local_enable=NO\nwrite_enable=NO\nseccomp_sandbox=NO\n"
        f"xferlog_enable=NO\nvsftpd_log_file={work}/vsftpd.log\n"
        "secure_chroot_dir=/var/run/vsftpd/empty\n"
    )
    conf.chmod(0o600)
    daemon = spawn("vsftpd", [binary, str(conf)], workdir=work, wait_for=[(ip, port)])
    return daemon, port


def start_redis(root: Path, ip: str) -> tuple[Daemon, int]:
    """redis-server with no password, nothing saved to disk."""
    binary = need_binary("redis-server")
    work = root / "redis"
    work.mkdir()
    port = free_port(ip)
    argv = [binary, "--bind", ip, "--port", str(port), "--save", "", "--appendonly", "no",
            "--protected-mode", "no", "--daemonize", "no", "--dir", str(work)]  # fmt: skip
    return spawn("redis", argv, workdir=work, wait_for=[(ip, port)]), port


def start_memcached(root: Path, ip: str) -> tuple[Daemon, int]:
    """memcached on TCP only (UDP off: it is the amplification vector)."""
    binary = need_binary("memcached")
    work = root / "memcached"
    work.mkdir()
    port = free_port(ip)
    argv = [binary, "-l", ip, "-p", str(port), "-U", "0", "-m", "16"]
    if os.geteuid() == 0:
        argv += ["-u", "memcache"]
    return spawn("memcached", argv, workdir=work, wait_for=[(ip, port)]), port


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise LabUnavailableError("PostgreSQL is not installed (Debian package postgresql)")
    return found[-1]


def start_postgres(root: Path, ip: str) -> tuple[Daemon, int]:
    """A fresh PostgreSQL cluster (initdb) run as the ``postgres`` system user.

    TCP logins need a password (scram-sha-256): the lab's database is exposed but not open.
    """
    initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
    work = root / "postgres"
    work.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root; the cluster must belong to its own user.
        shutil.chown(work, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = work / "data"
    run([*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth-local=trust",
         "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"])  # fmt: skip
    port = free_port(ip)
    argv = [*prefix, postgres, "-D", str(data), "-h", ip, "-p", str(port), "-k", str(work),
            "-c", "fsync=off", "-c", "shared_buffers=16MB"]  # fmt: skip
    return spawn("postgres", argv, workdir=work, wait_for=[(ip, port)]), port


def start_squid(root: Path, ip: str) -> tuple[Daemon, int]:
    """Squid as an open forward proxy (``http_access allow all``), nothing cached.

    Port 3128, Squid's own default, when it is free on ``ip``. Every URL it is asked for
    is written to ``squid/access.log``, so a test can see which addresses it was made to
    contact.
    """
    binary = need_binary("/usr/sbin/squid")
    work = root / "squid"
    work.mkdir()
    port = 3128 if port_free(ip, 3128) else free_port(ip)
    conf = work / "squid.conf"
    conf.write_text(
        f"http_port {ip}:{port}\nhttp_access allow all\ncache deny all\ncache_mem 8 MB\n"
        f"pid_filename {work}/squid.pid\ncache_log {work}/cache.log\n"
        f"access_log stdio:{work}/access.log\ncache_store_log none\ncoredump_dir {work}\n"
        "pinger_enable off\nvisible_hostname proxy.lab.test\nshutdown_lifetime 0 seconds\n"
    )
    if os.geteuid() == 0:
        # Squid drops to its own user and must be able to write its logs there.
        conf.write_text(conf.read_text() + "cache_effective_user proxy\n")
        shutil.chown(work, "proxy", "proxy")
    argv = [binary, "-N", "-f", str(conf)]
    return spawn("squid", argv, workdir=work, wait_for=[(ip, port)], timeout=30), port
