"""HTTP checks: security headers, directory listings, exposed administration panels, and
Elasticsearch answering without authentication.

Only GET requests to a fixed list of paths on the scanned host itself: no form is ever
submitted, no credential tried, no redirect followed.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from dataclasses import dataclass

from mamoru.asm.engine.checks._net import USER_AGENT, HttpResponse, excerpt, http_request
from mamoru.asm.engine.checks.catalogue import new_finding
from mamoru.asm.engine.echo import Echo
from mamoru.asm.engine.httpwire import host_header
from mamoru.asm.engine.model import Evidence, Finding, Service

_LISTING = re.compile(
    rb"<title>\s*(Index of /|Directory listing for /)|\[To Parent Directory\]", re.IGNORECASE
)
_HREF_DIR = re.compile(rb'href="(/?[A-Za-z0-9_.~-]+/)"')
LISTING_PATHS = ("/files/", "/uploads/", "/upload/", "/backup/", "/data/", "/pub/", "/images/")
MAX_LINKED_DIRS = 4
CONCURRENCY = 6


@dataclass(frozen=True, slots=True)
class AdminPanel:
    """A panel known by a path and a content signature (never by a status code alone)."""

    name: str
    paths: tuple[str, ...]
    pattern: re.Pattern[str]  # searched in the status line, headers and body


def _rx(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


ADMIN_PANELS = (
    AdminPanel("phpMyAdmin", ("/phpmyadmin/", "/phpMyAdmin/", "/pma/"), _rx(r"<title>[^<]*phpMyAdmin")),
    AdminPanel("Apache Tomcat Manager", ("/manager/html",),
               _rx(r"Tomcat Manager Application|Tomcat Web Application Manager")),
    AdminPanel("Jenkins", ("/", "/jenkins/"), _rx(r"^x-jenkins:|\[Jenkins\]</title>")),
    AdminPanel("WordPress login", ("/wp-login.php", "/wp-admin/"),
               _rx(r'id="loginform"|wp-login\.php\?action=lostpassword')),
    AdminPanel("Joomla administrator", ("/administrator/",), _rx(r'content="Joomla|mod-login-username')),
    AdminPanel("Webmin", ("/",), _rx(r"<title>[^<]*Webmin")),
    AdminPanel("router administration page", ("/",),
               _rx(r"<title>[^<]*(RouterOS|TP-LINK|NETGEAR|AirStation|Aterm|YAMAHA|pfSense|"
                   r"OPNsense|DD-WRT|OpenWrt|LuCI)|^www-authenticate:.*realm=\"[^\"]*(router|"
                   r"TP-LINK|NETGEAR|AirStation|Aterm|YAMAHA)")),
    AdminPanel("Grafana", ("/login",), _rx(r"<title>Grafana</title>")),
    AdminPanel("Kibana", ("/app/kibana", "/login"), _rx(r"kbn-name:|<title>Elastic</title>")),
    AdminPanel("cPanel / Plesk", ("/",), _rx(r"<title>[^<]*(cPanel|Plesk)")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Target:
    service: Service
    tls: bool
    timeout: float

    async def get(self, path: str) -> HttpResponse | None:
        svc = self.service
        host = host_header(svc.ip, svc.port, svc.hostname, self.tls)
        try:
            return await http_request(svc.ip, svc.port, path, host=host, tls=self.tls,
                                      timeout=self.timeout, sni=svc.hostname)  # fmt: skip
        except (OSError, TimeoutError, ValueError, EOFError, asyncio.IncompleteReadError):
            return None

    def echo(self, path: str) -> Echo:
        """What the response to ``path`` may repeat from our request (never evidence)."""
        svc = self.service
        host = host_header(svc.ip, svc.port, svc.hostname, self.tls)
        return Echo.of_http(path, host=host, user_agent=USER_AGENT, ip=svc.ip,
                            hostname=svc.hostname)  # fmt: skip

    def finding(self, kind: str, evidence: Evidence, details: dict[str, str]) -> Finding:
        svc = self.service
        return new_finding(kind, ip=svc.ip, port=svc.port, hostname=svc.hostname,
                           evidence=(evidence,), details=details)  # fmt: skip


def missing_security_headers(response: HttpResponse, *, tls: bool) -> list[str]:
    """The security headers a page lacks (HSTS only matters over HTTPS)."""
    missing = []
    if tls and not response.header("strict-transport-security"):
        missing.append("Strict-Transport-Security")
    if (response.header("x-content-type-options") or "").lower() != "nosniff":
        missing.append("X-Content-Type-Options")
    csp = response.header("content-security-policy") or ""
    if not csp and not response.header("x-frame-options"):
        missing.append("Content-Security-Policy / X-Frame-Options")
    return missing


def _flatten(response: HttpResponse) -> str:
    head = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{response.status_line()}\n{head}\n{response.text}"


def _headers_finding(target: _Target, root: HttpResponse) -> list[Finding]:
    if root.status >= 500:
        return []
    missing = missing_security_headers(root, tls=target.tls)
    if not missing:
        return []
    evidence = Evidence("http-get", f"GET / → {root.status_line()}; missing: {', '.join(missing)}")
    return [
        target.finding("http-missing-security-headers", evidence, {"missing": ", ".join(missing)})
    ]


async def _listings(target: _Target, root: HttpResponse) -> list[Finding]:
    linked = [m.decode() for m in _HREF_DIR.findall(root.body)[:MAX_LINKED_DIRS]]
    paths = ["/", *LISTING_PATHS, *(p if p.startswith("/") else f"/{p}" for p in linked)]
    paths = list(dict.fromkeys(paths))
    responses = await asyncio.gather(*(target.get(p) for p in paths[1:]))
    for path, response in zip(paths, [root, *responses], strict=True):
        if response and response.status == 200 and _LISTING.search(response.body[:4096]):
            evidence = Evidence("http-get", f"GET {path} → {response.title or 'listing'}")
            return [target.finding("http-directory-listing", evidence, {"path": path})]
    return []


def _panel_match(panel: AdminPanel, response: HttpResponse, echo: Echo) -> str | None:
    """The panel's signature in ``response``, outside anything it repeats from the request."""
    text = echo.scrub(_flatten(response))
    for match in re.finditer(panel.pattern.pattern, text, re.IGNORECASE | re.MULTILINE):
        if not echo.explains(match.group(0)):
            return match.group(0)
    return None


async def _admin_panels(
    target: _Target, root: HttpResponse, soft404: bytes | None
) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def fetch(path: str) -> HttpResponse | None:
        if path == "/":
            return root
        async with semaphore:
            return await target.get(path)

    checks = [(panel, path) for panel in ADMIN_PANELS for path in panel.paths]
    responses = await asyncio.gather(*(fetch(path) for _panel, path in checks))
    for (panel, path), response in zip(checks, responses, strict=True):
        # 200 = the page itself, 401 = its login prompt; error pages never count.
        if response is None or panel.name in seen or response.status not in (200, 401):
            continue
        echo = target.echo(path)
        if soft404 is not None and echo.scrub_bytes(response.body) == soft404:
            continue  # the server answers every path with the same page (but for the path)
        match = _panel_match(panel, response, echo)
        if match:
            seen.add(panel.name)
            evidence = Evidence("http-get", f"GET {path} → {response.status_line()}: "
                                f"{excerpt(match, 120)}")  # fmt: skip
            found.append(target.finding("exposed-admin-panel", evidence,
                                        {"panel": panel.name, "path": path}))  # fmt: skip
    return found


def _elasticsearch(target: _Target, root: HttpResponse) -> list[Finding]:
    if root.status != 200 or "json" not in (root.header("content-type") or ""):
        return []
    try:
        document = json.loads(root.body)
    except ValueError:
        return []
    if not isinstance(document, dict) or "cluster_name" not in document:
        return []
    version = document.get("version")
    number = version.get("number", "") if isinstance(version, dict) else ""
    evidence = Evidence("http-get", f"GET / → cluster_name={document.get('cluster_name')}")
    details = {"product": "Elasticsearch", "version": str(number)}
    return [target.finding("exposed-database-no-auth", evidence, details)]


async def http_checks(service: Service, *, tls: bool, timeout: float) -> list[Finding]:
    """Security headers, directory listing, admin panels, open Elasticsearch on one HTTP service."""
    target = _Target(service, tls, timeout)
    missing = f"/mamoru-{secrets.token_hex(6)}/"
    root, soft = await asyncio.gather(target.get("/"), target.get(missing))
    if root is None:
        return []
    # blanked of what it repeats from our request, so that a soft 404 page that names the
    # path it was asked for still compares equal for every other path
    soft404 = target.echo(missing).scrub_bytes(soft.body) if soft and soft.status == 200 else None
    listings, panels = await asyncio.gather(
        _listings(target, root), _admin_panels(target, root, soft404)
    )
    return [*_elasticsearch(target, root), *_headers_finding(target, root), *listings, *panels]
