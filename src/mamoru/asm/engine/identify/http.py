"""HTTP: one ordinary GET, response parsing, and technology detection.

Technology comes from what any browser receives: ``Server`` and ``X-Powered-By`` headers,
cookie names, the ``<title>``, the generator ``<meta>`` and the favicon's hash (the
Shodan-style MurmurHash3 of the base64 favicon, so operators can look it up elsewhere).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

from mamoru.asm.engine.echo import Echo
from mamoru.asm.engine.httpwire import host_header, request_bytes
from mamoru.asm.engine.identify._io import Conn, connect, printable
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.identify.rules import default_rules
from mamoru.asm.engine.model import Evidence

USER_AGENT = "Mozilla/5.0 (compatible; mamoru-asm/0.1; +https://github.com/mamoru)"
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_GENERATOR = re.compile(
    rb"<meta[^>]+name=[\"']generator[\"'][^>]+content=[\"']([^\"']+)|"
    rb"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]+name=[\"']generator[\"']",
    re.IGNORECASE,
)
# Cookie names that give a platform away; the values are never read or stored.
COOKIE_TECH: dict[str, str] = {
    "PHPSESSID": "PHP",
    "JSESSIONID": "Java Servlet",
    "ASP.NET_SessionId": "ASP.NET",
    "ASPSESSIONID": "ASP",
    "laravel_session": "Laravel",
    "csrftoken": "Django",
    "sessionid": "Django",
    "ci_session": "CodeIgniter",
    "CAKEPHP": "CakePHP",
    "wordpress_test_cookie": "WordPress",
    "_rails_session": "Ruby on Rails",
    "connect.sid": "Express",
    "SVPNCOOKIE": "FortiGate SSL-VPN",
    "DSID": "Ivanti Connect Secure",
    "NSC_": "Citrix NetScaler",
}


@dataclass(slots=True)
class HttpResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    raw_head: bytes = b""
    cookies: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def all(self, name: str) -> list[str]:
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]


def parse_response(data: bytes) -> HttpResponse | None:
    """Parse a raw HTTP/1.x response; ``None`` if it is not one."""
    if not data.startswith(b"HTTP/"):
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    response = HttpResponse(int(parts[1]), parts[2] if len(parts) > 2 else "", headers, body, head)
    response.cookies = [c.split("=", 1)[0].strip() for c in response.all("Set-Cookie")]
    if response.header("Transfer-Encoding") == "chunked":
        response.body = _dechunk(body)
    return response


def _dechunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
        except ValueError:
            break
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


def build_request(path: str, host: str, method: str = "GET") -> bytes:
    """An ordinary browser-like request."""
    return request_bytes(method, path, host=host, user_agent=USER_AGENT)


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[ \t]*chunked", re.IGNORECASE)


async def read_response(conn: Conn, limit: int = 65536) -> bytes:
    """One response's bytes: to its Content-Length or last chunk, else to the close.

    Servers that keep the connection open despite ``Connection: close`` would otherwise
    cost a whole timeout per request.
    """
    raw = await conn.recv_until(b"\r\n\r\n", limit)
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep or not raw.startswith(b"HTTP/"):
        return raw
    length = _CONTENT_LENGTH.search(head)
    if length is not None:
        missing = min(int(length.group(1)), limit - len(raw)) - len(body)
        while missing > 0:
            chunk = await conn.recv(min(missing, 16384))
            if not chunk:
                break
            raw += chunk
            missing -= len(chunk)
        return raw
    if _CHUNKED.search(head):
        return (
            raw
            if body.endswith(b"0\r\n\r\n")
            else raw + await conn.recv_until(b"0\r\n\r\n", limit - len(raw))
        )
    return raw + await conn.recv_all(limit - len(raw))


def request_echo(path: str, ip: str, port: int, hostname: str | None, tls: bool) -> Echo:
    """What a response to our GET of ``path`` may repeat (see :mod:`mamoru.asm.engine.echo`)."""
    host = host_header(ip, port, hostname, tls)
    return Echo.of_http(path, host=host, user_agent=USER_AGENT, ip=ip, hostname=hostname)


async def exchange(conn: Conn, request: bytes, limit: int = 65536) -> HttpResponse | None:
    await conn.send(request)
    return parse_response(await read_response(conn, limit))


async def fetch(
    ip: str, port: int, path: str, *, tls: bool, hostname: str | None, timeout: float
) -> HttpResponse | None:
    """GET one path on its own connection; ``None`` on any network failure."""
    try:
        async with connect(ip, port, timeout, tls=tls, server_hostname=hostname) as conn:
            host = host_header(ip, port, hostname, tls)
            return await exchange(conn, build_request(path, host))
    except (OSError, TimeoutError):
        return None


def raw_title_of(body: bytes) -> str | None:
    """The page title as written (entities kept, white space collapsed): what rules read."""
    found = _TITLE.search(body[:65536])
    if not found:
        return None
    return " ".join(found.group(1).decode("utf-8", "replace").split())[:512] or None


def title_of(body: bytes) -> str | None:
    """The page title as a person reads it."""
    raw = raw_title_of(body)
    return " ".join(html.unescape(raw).split())[:120] or None if raw else None


def generator_of(body: bytes) -> str | None:
    found = _GENERATOR.search(body[:65536])
    if not found:
        return None
    return html.unescape((found.group(1) or found.group(2)).decode("utf-8", "replace"))[:80]


def murmur3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 x86 32-bit, signed like the ``mmh3`` package (no dependency for one hash)."""
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed
    blocks = len(data) // 4
    for i in range(blocks):
        k = int.from_bytes(data[i * 4 : i * 4 + 4], "little")
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        h ^= (k * c2) & mask
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    tail = data[blocks * 4 :]
    k = int.from_bytes(tail, "little") if tail else 0
    if tail:
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        h ^= (k * c2) & mask
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


def favicon_hash(content: bytes) -> int:
    """The favicon hash as Shodan computes it: mmh3 of the MIME-style base64."""
    return murmur3_32(base64.encodebytes(content))


def technologies(response: HttpResponse) -> list[str]:
    """Platforms named by headers, cookies and the generator meta, in a stable order."""
    found: list[str] = []
    rules = default_rules()
    powered = response.header("X-Powered-By")
    if powered:
        match = rules.match("http.powered_by", powered)
        found.append(_label(match.product, match.version) if match and match.product else powered)
    for name in response.cookies:
        tech = COOKIE_TECH.get(name) or next(
            (t for prefix, t in COOKIE_TECH.items() if name.startswith(prefix)), None
        )
        if tech and not any(f.startswith(tech) for f in found):
            found.append(tech)
    generator = generator_of(response.body)
    if generator:
        found.append(generator)
    for header in ("X-AspNet-Version", "X-Generator", "X-Drupal-Cache"):
        value = response.header(header)
        if value:
            found.append(f"{header}: {value}")
    return found


def _speaks_for_itself(response: HttpResponse) -> bool:
    # error pages are where servers repeat the request; a login prompt (401) is not one
    return response.status < 400 or response.status == 401


def _label(product: str, version: str | None) -> str:
    return f"{product} {version}" if version else product


def describe(ident: Ident, response: HttpResponse, echo: Echo) -> None:
    """Fill an HTTP identification from one response: server product, title, technologies.

    The ``Server`` header first; a product still unnamed may come from the login prompt
    (``WWW-Authenticate``) or the title. ``echo`` is what our request sent: a title or a
    realm that repeats it names nothing.
    """
    server = response.header("Server")
    ident.extra["http_status"] = str(response.status)
    if server:
        ident.extra["http_server"] = server[:200]
        ident.match("http.server", server, "http-get", f"Server: {server}")
    else:
        ident.evidence.append(Evidence("http-get", printable(response.raw_head, 120)))
    realm = response.header("WWW-Authenticate")
    if realm:
        ident.extra["http_auth"] = realm[:200]
        ident.match("http.wwwauth", realm, "http-get", f"WWW-Authenticate: {realm}",
                    echo=echo, quiet=True)  # fmt: skip
    raw_title = raw_title_of(response.body) if _speaks_for_itself(response) else None
    if raw_title:
        ident.match("http.title", raw_title, "http-get", f"<title>{raw_title}</title>",
                    echo=echo, quiet=True)  # fmt: skip
    title = title_of(response.body)
    if title:
        ident.extra["http_title"] = title
    techs = technologies(response)
    if techs:
        ident.extra["http_technologies"] = ", ".join(techs)
    location = response.header("Location")
    if location:
        ident.extra["http_location"] = location[:200]
