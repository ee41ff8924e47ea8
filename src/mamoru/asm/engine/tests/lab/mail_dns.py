"""Exim (SMTP) and NSD (authoritative DNS) for the lab.

NSD serves the zone ``lab.test`` with one sub-domain per mail-policy case; the checks are
pointed at it with ``resolver="IP:PORT"`` so no test ever asks a real resolver.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mamoru.asm.engine.tests.lab.proc import Daemon, free_port, need_binary, need_root, spawn

# name -> records (type, value). Every case the mail checks distinguish has its own name.
ZONE_RECORDS: dict[str, list[tuple[str, str]]] = {
    "good": [
        ("A", "{web_ip}"), ("AAAA", "::1"), ("MX", "10 mail.good"),
        ("TXT", '"v=spf1 mx ip4:{mail_ip} -all"'),
    ],
    "_dmarc.good": [("TXT", '"v=DMARC1; p=reject; rua=mailto:dmarc@good.lab.test"')],
    "mail.good": [("A", "{mail_ip}")],
    "www.good": [("CNAME", "good")],
    "bad": [("A", "{web_ip}"), ("TXT", '"v=spf1 +all"')],
    "_dmarc.bad": [("TXT", '"v=DMARC1; p=none"')],
    "soft": [("TXT", '"v=spf1 ?all"'), ("TXT", '"some-site-verification=abc"')],
    "_dmarc.soft": [("TXT", '"v=DMARC1; p=quarantine"')],
    "none": [("A", "{web_ip}"), ("TXT", '"some-site-verification=abc"')],
    "many": [("TXT", '"v=spf1 include:_s1.many.lab.test include:_s2.many.lab.test "'
                     '"include:_s3.many.lab.test -all"')],
    "_dmarc.many": [("TXT", '"v=DMARC1; p=reject"')],
    "_s1.many": [("TXT", '"v=spf1 a mx include:_leaf.many.lab.test -all"')],
    "_s2.many": [("TXT", '"v=spf1 a mx include:_leaf.many.lab.test -all"')],
    "_s3.many": [("TXT", '"v=spf1 a mx exists:%{{i}}.x.many.lab.test -all"')],
    "_leaf.many": [("TXT", '"v=spf1 a ip4:192.0.2.0/24 -all"')],
    "loop": [("TXT", '"v=spf1 include:loop.lab.test -all"')],
    "_dmarc.loop": [("TXT", '"v=DMARC1; p=reject"')],
    "dup": [("TXT", '"v=spf1 -all"'), ("TXT", '"v=spf1 mx -all"')],
    "_dmarc.dup": [("TXT", '"v=DMARC1; p=reject"')],
}  # fmt: skip


def zone_text(*, ns_ip: str, web_ip: str, mail_ip: str) -> str:
    """The master file of ``lab.test``."""
    lines = [
        "$ORIGIN lab.test.",
        "$TTL 300",
        "@ IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 300",
        "@ IN NS ns",
        f"ns IN A {ns_ip}",
    ]
    for name, records in ZONE_RECORDS.items():
        for rtype, value in records:
            lines.append(f"{name} IN {rtype} {value.format(web_ip=web_ip, mail_ip=mail_ip)}")
    return "\n".join(lines) + "\n"


def start_nsd(root: Path, ip: str, *, web_ip: str, mail_ip: str) -> tuple[Daemon, int]:
    """NSD in the foreground (``-d``) serving ``lab.test`` on ``ip``."""
    binary = need_binary("/usr/sbin/nsd")
    work = root / "nsd"
    work.mkdir()
    port = free_port(ip)
    (work / "lab.test.zone").write_text(zone_text(ns_ip=ip, web_ip=web_ip, mail_ip=mail_ip))
    (work / "nsd.conf").write_text(
        f"""server:
  ip-address: {ip}@{port}
  port: {port}
  username: ""
  chroot: ""
  zonesdir: "{work}"
  database: ""
  pidfile: "{work}/nsd.pid"
  xfrdfile: "{work}/xfrd.state"
  zonelistfile: "{work}/zone.list"
  logfile: "{work}/nsd.log"
  server-count: 1
  tcp-count: 10
remote-control:
  control-enable: no
zone:
  name: lab.test
  zonefile: lab.test.zone
"""
    )
    argv = [binary, "-d", "-c", str(work / "nsd.conf")]
    return spawn("nsd", argv, workdir=work, wait_for=[(ip, port)]), port


def start_exim(root: Path, ip: str) -> tuple[Daemon, int, int]:
    """Exim 4 in the foreground (``-bdf``) on two ports: the first offers STARTTLS, the
    second does not. It accepts no mail at all (every RCPT is denied)."""
    binary = need_binary("/usr/sbin/exim4")
    need_root("exim4")  # an alternative config (-C) keeps its privileges only for root
    work = root / "exim"
    for sub in ("spool", "log"):
        (work / sub).mkdir(parents=True)
    tls_port, plain_port = free_port(ip), free_port(ip)
    while plain_port == tls_port:
        plain_port = free_port(ip)
    user = "Debian-exim" if os.geteuid() == 0 else ""
    if user:
        for path in (work, work / "spool", work / "log"):
            shutil.chown(path, user, user)
    conf = work / "exim.conf"
    conf.write_text(
        f"""primary_hostname = mail.lab.test
daemon_smtp_ports = {tls_port} : {plain_port}
local_interfaces = <; {ip}.{tls_port} ; {ip}.{plain_port}
exim_user = {user}
exim_group = {user}
keep_environment =
spool_directory = {work}/spool
log_file_path = {work}/log/%slog
pid_file_path = {work}/exim.pid
tls_advertise_hosts = ${{if eq{{$received_port}}{{{tls_port}}}{{*}}{{}}}}
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny message = relay not permitted
begin routers
begin transports
"""
    )
    daemon = spawn(
        "exim4", [binary, "-C", str(conf), "-bdf"], workdir=work,
        wait_for=[(ip, tls_port), (ip, plain_port)],
    )  # fmt: skip
    return daemon, tls_port, plain_port
