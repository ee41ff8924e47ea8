"""Zero false product claims.

Every product rule — the project's YAML and, behind it, Recog's fingerprints — and every VPN
portal rule runs against every other service of the lab and against Recog's example banners
of other products; none may name a product the service or banner is not. A naming difference
("HTTPD" by Apache for our "Apache httpd") is no false claim (:mod:`identify.names`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.identify.http import HttpResponse, fetch, request_echo
from mamoru.asm.engine.identify.names import same_product
from mamoru.asm.engine.identify.recog import DATABASES, RecogDatabase, load_recog, read_examples
from mamoru.asm.engine.identify.recog_agreement import contradicts, coverage_file, recog_dir
from mamoru.asm.engine.identify.result import Seen, recording
from mamoru.asm.engine.identify.rules import default_rules
from mamoru.asm.engine.identify.vpn import PORTALS
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab

REPO_ROOT = Path(__file__).resolve().parents[5]
RECOG = recog_dir(REPO_ROOT)
needs_recog = pytest.mark.skipif(
    not RECOG.is_dir(), reason=f"Recog data not found at {RECOG} (set MAMORU_RECOG_DIR)"
)
# Every lab daemon runs on Debian GNU/Linux: a rule naming the host's OS says something true.
LAB_HOST_OS = ("Linux", "Debian")


@pytest.fixture(scope="module")
def database() -> RecogDatabase:
    if not RECOG.is_dir():
        pytest.skip(f"Recog data not found at {RECOG}")
    return load_recog(RECOG)


@needs_recog
@pytest.mark.parametrize("name", sorted(DATABASES))
def test_no_recog_example_is_named_another_product(database: RecogDatabase, name: str) -> None:
    # the identification's own chain: our rules first, Recog's behind them
    tally = coverage_file(RECOG / f"{name}.xml", DATABASES[name], database)
    assert tally.with_product > 0
    assert tally.named_both > 0
    assert tally.false_claims == []


def _responses(name: str, text: str) -> list[HttpResponse]:
    """The HTTP answers a Recog example of ``name`` stands for."""
    if name == "http_servers":
        return [HttpResponse(200, "OK", [("Server", text)], b"")]
    if name == "html_title":
        page = f"<html><head><title>{text}</title></head><body></body></html>"
        return [HttpResponse(200, "OK", [], page.encode())]
    if name == "http_wwwauth":
        return [HttpResponse(401, "Unauthorized", [("WWW-Authenticate", text)], b"")]
    cookie = text.split(";", 1)[0].split("=", 1)[0].strip()
    return [HttpResponse(200, "OK", [("Set-Cookie", text)], b"", cookies=[cookie])]


@needs_recog
@pytest.mark.parametrize("name", ["http_servers", "html_title", "http_wwwauth", "http_cookies"])
def test_no_vpn_portal_is_claimed_for_another_products_http_example(name: str) -> None:
    echo = request_echo("/", "198.51.100.7", 443, None, True)
    false, named = [], 0
    for example in read_examples(RECOG / f"{name}.xml"):
        for response in _responses(name, example.text):
            for portal in PORTALS:
                if portal.recognises(response, echo) is None:
                    continue
                named += 1
                if not example.product or contradicts(example, portal.product, portal.vendor):
                    false.append(
                        f"{portal.key}: {example.vendor}/{example.product}: {example.text}"
                    )
    assert false == []
    if name in ("html_title", "http_cookies"):
        assert named > 0  # the portals' rules did run on these examples and named some


def _claims(seen: Seen, database: RecogDatabase) -> list[tuple[str, str | None, str]]:
    """What every rule source, ours and Recog's, would name in one text."""
    rules = default_rules()
    found = []
    for source in sorted(set(rules.sources) | set(database.by_source)):
        for match in (rules.match(source, seen.text, seen.echo),
                      database.match(source, seen.text, seen.echo)):  # fmt: skip
            if match is not None and match.product:
                found.append((match.product, match.vendor, match.rule.id))
    return found


def _true_of(endpoint: Endpoint, product: str, vendor: str | None) -> bool:
    return same_product(endpoint.product, None, product, vendor) or product in LAB_HOST_OS


def _portal_pages(endpoint: Endpoint) -> list[tuple[str, HttpResponse | None]]:
    tls = endpoint.service == "https"

    async def pages() -> list[HttpResponse | None]:
        paths = ["/", *(portal.path for portal in PORTALS)]
        return list(await asyncio.gather(*(
            fetch(endpoint.ip, endpoint.port, path, tls=tls, hostname=endpoint.hostname,
                  timeout=3)
            for path in paths
        )))  # fmt: skip

    paths = ["/", *(portal.path for portal in PORTALS)]
    return list(zip(paths, asyncio.run(pages()), strict=True))


@pytest.mark.lab
def test_no_rule_names_a_lab_service_wrongly(lab: Lab, database: RecogDatabase) -> None:
    lab.start_all()
    if not lab.endpoints:
        pytest.skip(f"no lab server could start: {lab.errors}")
    false: list[str] = []
    texts = 0
    for endpoint in lab.endpoints.values():
        with recording() as seen:
            service = asyncio.run(identify(endpoint.ip, endpoint.port, hostname=endpoint.hostname,
                                           timeout=3, recog_db=database))  # fmt: skip
        assert service is not None, endpoint
        assert service.product is not None, endpoint
        assert same_product(endpoint.product, None, service.product, service.vendor), service
        assert "vpn" not in service.extra, service
        texts += len(seen)
        for text in seen:
            false += [f"{endpoint.name}: {rule} names {vendor}/{product} in {text.text[:60]!r}"
                      for product, vendor, rule in _claims(text, database)
                      if not _true_of(endpoint, product, vendor)]  # fmt: skip
    assert false == []
    assert texts >= len(lab.endpoints)


@pytest.mark.lab
def test_no_vpn_portal_rule_names_a_lab_web_server(lab: Lab) -> None:
    lab.start_all()
    web = [e for e in lab.endpoints.values() if e.service in ("http", "https")]
    if not web:
        pytest.skip(f"no lab web server could start: {lab.errors}")
    claims = []
    for endpoint in web:
        for path, page in _portal_pages(endpoint):
            assert page is not None, (endpoint, path)
            echo = request_echo(path, endpoint.ip, endpoint.port, endpoint.hostname,
                                endpoint.service == "https")  # fmt: skip
            for portal in PORTALS:
                marker = portal.recognises(page, echo, redirects=path == "/")
                if marker:
                    claims.append(f"{endpoint.name} {path}: {portal.key} ({marker})")
    assert claims == []
