"""Recog as the second rule source: loaded at run time, behind our rules, with attribution.

Most tests use a tiny Recog-format directory written here (our own test fingerprints, not
Recog's); the translation test reads the real databases from the shared data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import ssl
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mamoru.asm.engine import cli
from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.identify.recog import (
    ATTRIBUTION,
    DATABASES,
    RecogDatabase,
    RecogError,
    compile_pattern,
    load_recog,
    read_examples,
    translate,
)
from mamoru.asm.engine.identify.recog_agreement import recog_dir
from mamoru.asm.engine.identify.testing import Handler, HttpSite, Page, html, serve
from mamoru.asm.engine.model import Service
from mamoru.asm.engine.scanner import ScanOptions, Stages, run_scan
from mamoru.asm.engine.tests.inprocess import Captured, listeners, loopback_plan

REAL = recog_dir(Path(__file__).resolve().parents[5])
FAVICON = b"\x00\x00\x01\x00mamoru test icon"


def _fingerprint(pattern: str, *params: tuple[int, str, str]) -> str:
    lines = [f"  <fingerprint pattern={quoteattr(pattern)}>", "    <description>t</description>"]
    for pos, name, value in params:
        value_attr = f" value={quoteattr(value)}" if pos == 0 else ""
        lines.append(f'    <param pos="{pos}" name="{name}"{value_attr}/>')
    return "\n".join([*lines, "  </fingerprint>"])


def write_database(directory: Path, name: str, *fingerprints: str) -> None:
    body = "\n".join(fingerprints)
    (directory / f"{name}.xml").write_text(
        f"<?xml version='1.0' encoding='UTF-8'?>\n<fingerprints>\n{body}\n</fingerprints>\n"
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RecogDatabase:
    """Our own fingerprints in Recog's format, one per text the engine reads."""
    directory = tmp_path_factory.mktemp("recog")
    write_database(directory, "html_title", _fingerprint(
        r"^Kanri Gamen (\d+)$", (0, "hw.vendor", "Mamoru Test"),
        (0, "hw.product", "Router X"), (1, "hw.version", ""), (0, "hw.device", "Router"),
    ), _fingerprint(r"^blank$", (0, "service.certainty", "0.0"),
                    (0, "service.product", "Nothing")))  # fmt: skip
    write_database(directory, "http_wwwauth", _fingerprint(
        r'^Basic realm="TestBox-(\w+)"', (0, "service.vendor", "Mamoru Test"),
        (0, "service.product", "TestBox"), (1, "service.version", ""),
    ))  # fmt: skip
    write_database(directory, "favicons", _fingerprint(
        f"^{hashlib.md5(FAVICON, usedforsecurity=False).hexdigest()}$",
        (0, "service.vendor", "Mamoru Test"), (0, "service.product", "Icon App"),
        (0, "service.certainty", "0.5"),
    ))  # fmt: skip
    write_database(directory, "x509_subjects", _fingerprint(
        r"^CN=([\w-]+),O=Mamoru Test Appliances,C=JP$", (0, "hw.vendor", "Mamoru Test"),
        (0, "hw.product", "Cert Box"), (0, "hw.cpe23", "cpe:/h:mamoru_test:cert_box:-"),
    ))  # fmt: skip
    write_database(directory, "http_servers", _fingerprint(
        r"^nginx/([\d.]+)$", (0, "service.vendor", "Elsewhere"),
        (0, "service.product", "Not Nginx"), (1, "service.version", ""),
    ), _fingerprint(
        r"^Apache$", (0, "service.vendor", "Apache"), (0, "service.product", "HTTPD"),
        (0, "service.version", "2.4.99"),
        (0, "service.cpe23", "cpe:/a:apache:http_server:{service.version}"),
    ))  # fmt: skip
    return load_recog(directory)


def identify_site(
    site: HttpSite, database: RecogDatabase | None, hostname: str | None = None
) -> Service:
    async def go() -> Service | None:
        async with serve(site) as port:
            return await identify(
                "127.0.0.1", port, hostname=hostname, timeout=0.5, recog_db=database
            )

    service = asyncio.run(go())
    assert service is not None
    return service


def test_a_directory_without_databases_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RecogError, match="does not exist"):
        load_recog(tmp_path / "missing")
    with pytest.raises(RecogError, match="no Recog database"):
        load_recog(tmp_path)
    (tmp_path / "http_servers.xml").write_text("<fingerprints><oops")
    with pytest.raises(RecogError, match="not a readable Recog database"):
        load_recog(tmp_path)


def test_ruby_patterns_are_translated() -> None:
    assert translate(r"(?m)^a.b\z") == r"(?s)^a.b\Z"
    assert translate(r"^(?<name>\h+)\Z") == r"^(?P<name>[0-9a-fA-F]+)(?=\n?\Z)"
    assert translate(r"^(?i)cisco") == r"(?i)^cisco"
    assert translate(r"(?<=x)(?<!y)") == r"(?<=x)(?<!y)"


@pytest.mark.skipif(not REAL.is_dir(), reason=f"Recog data not found at {REAL}")
def test_every_real_example_is_matched_first_by_its_own_fingerprint() -> None:
    # Recog's first-match order reproduced: an example names what its own fingerprint says,
    # or nothing when its fingerprint asserts nothing (certainty 0)
    database = load_recog(REAL)
    assert database.count > 2000
    assert sum(database.skipped.values()) <= 3  # Recog 2025: one "(.+)*" SMTP pattern
    wrong, unused = [], 0
    for name, source in DATABASES.items():
        for example in read_examples(REAL / f"{name}.xml"):
            if example.fingerprint is None:
                unused += 1
                continue
            match = database.match(source, example.text)
            if match is not None and match.rule.id != example.fingerprint.rule.id:
                wrong.append((name, example.text))
    assert wrong == []
    assert unused <= 3 * sum(database.skipped.values())


def test_patterns_that_could_backtrack_without_end_are_never_run() -> None:
    assert compile_pattern(r"^(\S+) SMTP X (.+)* http", "") is None
    assert compile_pattern(r"^([^ ]+)+$", "") is None
    assert compile_pattern(r"^gunicorn/(\d+(?:\.\d+)*)$", "") is not None


def test_a_device_known_only_to_recog_is_named_with_its_source(small: RecogDatabase) -> None:
    site = HttpSite({"/": Page(200, (), html("Kanri Gamen 1210"))})
    without = identify_site(site, None)
    assert (without.product, without.source) == (None, None)
    service = identify_site(site, small)
    assert (service.product, service.vendor, service.version) == ("Router X", "Mamoru Test", "1210")
    assert service.source == "recog"
    assert service.extra["device_type"] == "Router"
    assert any(e.rule == "recog:html_title:0" for e in service.evidence)


def test_a_fingerprint_asserting_nothing_names_nothing(small: RecogDatabase) -> None:
    service = identify_site(HttpSite({"/": Page(200, (), html("blank"))}), small)
    assert (service.product, service.source) == (None, None)


def test_a_login_prompt_and_a_favicon_name_the_product(small: RecogDatabase) -> None:
    prompt = HttpSite({"/": Page(401, (("WWW-Authenticate", 'Basic realm="TestBox-7"'),))})
    service = identify_site(prompt, small)
    assert (service.product, service.version, service.source) == ("TestBox", "7", "recog")
    icon = HttpSite({"/": Page(200, (), b"<html></html>"), "/favicon.ico": Page(200, (), FAVICON)})
    service = identify_site(icon, small)
    assert (service.product, service.source) == ("Icon App", "recog")
    assert service.extra["recog_certainty"] == "0.5"
    assert service.extra["favicon_md5"] == hashlib.md5(FAVICON, usedforsecurity=False).hexdigest()


def test_our_rules_win_and_recog_only_fills_what_they_leave(small: RecogDatabase) -> None:
    ours = identify_site(HttpSite({"/": Page()}, server="nginx/1.22.1"), small)
    assert (ours.product, ours.version, ours.source) == ("nginx", "1.22.1", "mamoru")
    filled = identify_site(HttpSite({"/": Page()}, server="Apache"), small)
    assert (filled.product, filled.version) == ("Apache httpd", "2.4.99")
    assert filled.source == "recog"
    assert filled.cpe == "cpe:2.3:a:apache:http_server:2.4.99:*:*:*:*:*:*:*"


def test_a_title_repeating_the_host_name_names_nothing(small: RecogDatabase) -> None:
    site = HttpSite({"/": Page(200, (), html("Kanri Gamen 1210"))})
    service = identify_site(site, small, hostname="Kanri Gamen 1210")
    assert service.product is None


@pytest.fixture(scope="module")
def appliance_tls(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Mamoru Test Appliances"),
        x509.NameAttribute(NameOID.COMMON_NAME, "box-0001"),
    ])  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=9))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    directory = tmp_path_factory.mktemp("appliance")
    (directory / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "k.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(directory / "c.pem", directory / "k.pem")
    return context


def test_a_certificate_subject_names_the_appliance(
    small: RecogDatabase, appliance_tls: ssl.SSLContext
) -> None:
    site: Handler = HttpSite({"/": Page(200, (), html("login"))})

    async def go() -> Service | None:
        server = await asyncio.start_server(site, "127.0.0.1", 0, ssl=appliance_tls)
        port = int(server.sockets[0].getsockname()[1])
        async with server:
            return await identify("127.0.0.1", port, timeout=0.5, recog_db=small)

    service = asyncio.run(go())
    assert service is not None
    assert service.tls is not None
    assert service.tls.subject == "CN=box-0001,O=Mamoru Test Appliances,C=JP"
    assert (service.service, service.product, service.vendor) == (
        "https",
        "Cert Box",
        "Mamoru Test",
    )
    assert service.cpe == "cpe:2.3:h:mamoru_test:cert_box:*:*:*:*:*:*:*:*"


def test_the_scanner_hands_the_database_to_identification(small: RecogDatabase) -> None:
    given: list[object] = []

    async def identify_stage(
        ip: str, port: int, *, hostname: str | None, timeout: float, recog_db: object = None
    ) -> Service:
        given.append(recog_db)
        return Service(ip, port, "http")

    async def scenario() -> None:
        async with listeners(1) as ports:
            options = ScanOptions(ports=tuple(ports), recog=small, checks=False)
            async for _ in run_scan(loopback_plan(), options, stages=Stages(identify_stage)):
                pass

    asyncio.run(scenario())
    assert given == [small]


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = Captured(), Captured()
    code = cli.run(cli.build_parser().parse_args(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_the_command_reads_the_directory_and_credits_recog(
    small: RecogDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = HttpSite({"/": Page(200, (), html("Kanri Gamen 1210"))})

    async def scan_site() -> tuple[int, str, str]:
        async with serve(site) as port:
            argv = ["127.0.0.1", "-p", str(port), "--allow-private", "--no-checks", "--timeout",
                    "0.5"]  # fmt: skip
            loop = asyncio.get_running_loop()
            code, out, _ = await loop.run_in_executor(
                None, _run_cli, [*argv, "--format", "json", "--recog-dir", str(small.directory)]
            )
            monkeypatch.setenv("MAMORU_RECOG_DIR", str(small.directory))
            _, table, _ = await loop.run_in_executor(None, _run_cli, argv)
            return code, out, table

    code, out, table = asyncio.run(scan_site())
    assert code == cli.EXIT_OK
    document = json.loads(out)
    assert document["services"][0]["product"] == "Router X"
    assert document["services"][0]["source"] == "recog"
    assert document["attributions"] == [{"source": "recog", "notice": ATTRIBUTION}]
    assert "Router X*" in table
    assert ATTRIBUTION in table


def test_a_bad_recog_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = _run_cli(["127.0.0.1", "--allow-private", "--recog-dir", str(tmp_path)])
    assert (code, out) == (cli.EXIT_USAGE, "")
    assert "no Recog database" in err


def test_our_own_title_and_realm_rules_need_no_recog() -> None:
    storage = identify_site(HttpSite({"/": Page(200, (), html("TeraStation"))}), None)
    assert (storage.product, storage.vendor, storage.source) == ("TeraStation", "Buffalo", "mamoru")
    prompt = HttpSite({"/": Page(401, (("WWW-Authenticate", 'Basic realm="Aterm"'),))})
    router = identify_site(prompt, None)
    assert (router.product, router.vendor, router.extra["device_type"]) == (
        "Aterm",
        "NEC",
        "Router",
    )
