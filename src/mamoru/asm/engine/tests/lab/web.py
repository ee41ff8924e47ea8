"""nginx and Apache httpd for the lab, each with its own minimal configuration file.

nginx carries four sites on four addresses: plain HTTP with a directory listing and an
admin-looking page, HTTPS done right, HTTPS with an expired self-signed certificate and
TLS 1.0/1.1, and HTTPS with a 1024-bit RSA key signed with SHA-1. Apache serves plain
HTTP with every security header set and a directory listing.
"""

from __future__ import annotations

import os
from pathlib import Path

from mamoru.asm.engine.tests.lab.certs import CertFiles, LabCA, expired_self_signed
from mamoru.asm.engine.tests.lab.proc import Daemon, free_port, need_binary, spawn

PHPMYADMIN_PAGE = """<!DOCTYPE html><html><head><title>phpMyAdmin</title></head><body>
<form method="post" action="index.php"><input type="text" name="pma_username">
<input type="password" name="pma_password"></form></body></html>
"""
# The name each TLS site's certificate is made for.
TLS_NAMES = {
    "tls-good": "www.lab.test",
    "tls-legacy": "legacy.lab.test",
    "tls-weak": "weak.lab.test",
}
GOOD_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'",
    "X-Frame-Options": "DENY",
}


def make_docroot(root: Path, name: str, title: str, *, admin: bool) -> Path:
    """A small site: an index page, a /files/ folder to list, maybe an admin-looking page."""
    docroot = root / name
    (docroot / "files").mkdir(parents=True)
    (docroot / "files" / "budget-2024.xlsx").write_text("not really a spreadsheet\n")
    (docroot / "files" / "minutes.txt").write_text("minutes\n")
    if admin:
        (docroot / "phpmyadmin").mkdir()
        (docroot / "phpmyadmin" / "index.html").write_text(PHPMYADMIN_PAGE)
    (docroot / "index.html").write_text(
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{title}</body></html>\n"
    )
    for path in [docroot, *docroot.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return docroot


def _user_line() -> str:
    return "user www-data;" if os.geteuid() == 0 else ""


def _tls_server(ip: str, port: int, docroot: Path, cert: CertFiles, protocols: str) -> str:
    headers = "\n".join(f'    add_header {k} "{v}" always;' for k, v in GOOD_HEADERS.items())
    return f"""
  server {{
    listen {ip}:{port} ssl;
    root {docroot};
    ssl_certificate {cert.cert};
    ssl_certificate_key {cert.key};
    ssl_protocols {protocols};
    ssl_ciphers DEFAULT:@SECLEVEL=0;
{headers}
  }}"""


def start_nginx(root: Path, ips: dict[str, str]) -> tuple[Daemon, dict[str, tuple[str, int]]]:
    """nginx with the sites ``http``, ``tls-good``, ``tls-legacy`` and ``tls-weak``.

    ``ips`` maps each site to its loopback address; returns the daemon and (ip, port) per site.
    """
    binary = need_binary("/usr/sbin/nginx")
    work = root / "nginx"
    for sub in ("logs", "tmp"):
        (work / sub).mkdir(parents=True)
    docroot = make_docroot(root, "nginx-www", "Welcome to the lab", admin=True)
    clean = make_docroot(root, "nginx-tls", "Welcome to the lab over TLS", admin=False)
    ca = LabCA()
    good = ca.leaf(work, "good", [TLS_NAMES["tls-good"], ips["tls-good"]])
    weak = ca.weak_leaf(work, "weak", [TLS_NAMES["tls-weak"]])
    legacy = expired_self_signed(work, "legacy", [TLS_NAMES["tls-legacy"]])
    ports = {site: free_port(ip) for site, ip in ips.items()}
    temp = " ".join(
        f"{kind}_temp_path {work / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = f"""{_user_line()}
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/logs/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  {temp}
  default_type text/html;
  server {{
    listen {ips["http"]}:{ports["http"]};
    root {docroot};
    location /files/ {{ autoindex on; }}
  }}
{_tls_server(ips["tls-good"], ports["tls-good"], clean, good, "TLSv1.2 TLSv1.3")}
{_tls_server(ips["tls-legacy"], ports["tls-legacy"], clean, legacy, "TLSv1 TLSv1.1 TLSv1.2")}
{_tls_server(ips["tls-weak"], ports["tls-weak"], clean, weak, "TLSv1.2")}
}}
"""
    (work / "nginx.conf").write_text(conf)
    addresses = {site: (ips[site], ports[site]) for site in ips}
    daemon = spawn(
        "nginx",
        [binary, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "logs" / "e")],
        workdir=work,
        wait_for=list(addresses.values()),
    )
    return daemon, addresses


def start_apache(root: Path, ip: str) -> tuple[Daemon, int]:
    """Apache httpd (one process, ``-X``) with every security header and a listing at /files/."""
    binary = need_binary("/usr/sbin/apache2")
    work = root / "apache"
    work.mkdir()
    docroot = make_docroot(root, "apache-www", "Apache lab", admin=False)
    port = free_port(ip)
    modules = ["mpm_event", "authz_core", "dir", "autoindex", "mime", "headers"]
    loads = "\n".join(f"LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so" for m in modules)
    headers = "\n".join(
        f'Header always set {k} "{v}"'
        for k, v in GOOD_HEADERS.items()
        if k != "Strict-Transport-Security"
    )
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    conf = f"""{loads}
ServerRoot {work}
ServerName apache.lab.test
Listen {ip}:{port}
PidFile {work}/apache.pid
Mutex file:{work} default
ErrorLog {work}/error.log
{user}
TypesConfig /etc/mime.types
DocumentRoot {docroot}
DirectoryIndex index.html
<Directory {docroot}>
  Options +Indexes
  Require all granted
</Directory>
{headers}
"""
    (work / "apache.conf").write_text(conf)
    daemon = spawn(
        "apache2",
        [binary, "-X", "-f", str(work / "apache.conf")],
        workdir=work,
        wait_for=[(ip, port)],
    )
    return daemon, port
