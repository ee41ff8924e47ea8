"""The attack-surface demo of ``make run``: real findings from a real scan of a local lab,
and a real exposure alert from a KEV import.

The lab is a set of servers on 127.0.0.1 that this process runs while it seeds (the
engine's own emulations of public fingerprints, the same the tests scan): the Debian
daemons of the engine's lab would need root and Debian packages on the demo machine,
which ``make run`` does not require. The scan goes through the whole platform — approved
assets, a scan with its jobs, the engine, stored services and findings, matched
vulnerabilities with the backport rule — only run in this process
(``services.scan_run_here``) because the lab stops when seeding ends.

* 千代田区: an SSH server announcing Debian 12's unpatched OpenSSH (regreSSHion,
  CVE-2024-6387) and a web server that lists its directory;
* 檜原村: an Ivanti Connect Secure portal whose public version file says 22.3.1.1613
  (affected by CVE-2023-46805 and CVE-2024-21887).

Then the two Ivanti CVEs are imported as KEV entries (the facts of CISA's catalogue), which
raises the alert for 檜原村 and tells 東京都. Scanning 127.0.0.1 needs
``MAMORU_SCAN_ALLOW_PRIVATE=true``, which ``make run`` sets for the demo.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from mamoru.asm import services
from mamoru.asm.engine.identify.testing import Handler, HttpSite, Page, greeting, html
from mamoru.asm.models import Scan
from mamoru.asm.testing import load_vulnerabilities
from mamoru.core.demo import demo_seeder
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_by_code, principal_for
from mamoru.vulns.models import KevEntry
from mamoru.vulns.services import feed_import

CHIYODA, HINOHARA = "131016", "133078"
IVANTI_VERSION = "22.3.1.1613"
# The facts of CISA's Known Exploited Vulnerabilities catalogue for the two Ivanti CVEs.
KEV_FACTS = {
    "CVE-2023-46805": "Ivanti Connect Secure and Policy Secure Authentication Bypass Vulnerability",
    "CVE-2024-21887": "Ivanti Connect Secure and Policy Secure Command Injection Vulnerability",
}

LISTING = html("Index of /", "") + b'<a href="backup.zip">backup.zip</a>'


def _sites() -> dict[str, Handler]:
    return {
        "ssh": greeting(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n"),
        "web": HttpSite(
            {"/": Page(200, (("Content-Type", "text/html"),), LISTING)}, server="nginx"
        ),
        "vpn": HttpSite(
            {
                "/": Page(302, (("Location", "/dana-na/auth/url_default/welcome.cgi"),)),
                "/dana-na/auth/url_default/welcome.cgi": Page(
                    200,
                    (("Set-Cookie", "DSSignInURL=/; path=/; secure"),),
                    html("Ivanti Connect Secure", '<link href="/dana-na/css/ds.css">'),
                ),
                "/dana-na/nc/nc_gina_ver.txt": Page(
                    200,
                    (("Content-Type", "text/plain"),),
                    b'<PARAM NAME="ProductVersion" VALUE="' + IVANTI_VERSION.encode() + b'">\r\n',
                ),
            }
        ),
    }


@contextlib.contextmanager
def demo_lab() -> Iterator[dict[str, int]]:
    """The lab's servers on 127.0.0.1 in a thread of this process; their ports by name."""
    loop = asyncio.new_event_loop()
    ports: dict[str, int] = {}
    servers: list[asyncio.Server] = []
    ready = threading.Event()

    def closing(handler: Handler) -> Handler:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await handler(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
                pass
            finally:
                writer.close()
                with contextlib.suppress(ConnectionError):
                    await writer.wait_closed()

        return serve

    async def start() -> None:
        for name, handler in _sites().items():
            server = await asyncio.start_server(closing(handler), "127.0.0.1", 0)
            servers.append(server)
            ports[name] = server.sockets[0].getsockname()[1]
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="asm-demo-lab", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield ports
    finally:

        async def stop() -> None:
            for server in servers:
                server.close()
                await server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _editor(username: str, code: str) -> Principal | None:
    user = get_user_model().objects.filter(username=username).first()
    return None if user is None else principal_for(user=user, organisation_code=code)


def _scan(acting: Principal, ports: str) -> Scan:
    organisation = acting.organisation
    asset = services.asset_create(
        principal=acting, organisation=organisation, kind="ip", value="127.0.0.1", ports=ports,
        owner="情報政策課（デモ）", note="デモ用の実験環境（このパソコンの中のサーバー）",
    )  # fmt: skip
    services.asset_approve(principal=acting, asset=asset)
    scan = services.scan_request(principal=acting, organisation=organisation)
    return services.scan_run_here(scan=scan)


def _kev_import() -> None:
    """Import the two Ivanti entries as KEV (unless a real catalogue was imported: the KEV
    feed is whole, and a two-entry import would withdraw the others)."""
    if KevEntry.objects.exclude(cve_id__in=list(KEV_FACTS)).exists():
        return
    catalogue = {
        "title": "CISA Catalog of Known Exploited Vulnerabilities (demo excerpt)",
        "catalogVersion": "demo",
        "dateReleased": "2024-01-10T00:00:00Z",
        "count": len(KEV_FACTS),
        "vulnerabilities": [
            {
                "cveID": cve, "vendorProject": "Ivanti",
                "product": "Connect Secure and Policy Secure", "vulnerabilityName": name,
                "dateAdded": "2024-01-10", "dueDate": "2024-01-22",
                "shortDescription": "", "knownRansomwareCampaignUse": "Unknown",
                "requiredAction": "Apply mitigations per vendor instructions or discontinue "
                "use of the product if mitigations are unavailable.",
                "notes": "",
            }
            for cve, name in KEV_FACTS.items()
        ],
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "kev.json"
        path.write_text(json.dumps(catalogue), encoding="utf-8")
        feed_import(source="kev", path=path)


@demo_seeder(order=60)
def demo_attack_surface() -> list[str]:
    chiyoda = _editor("demo-chiyoda", CHIYODA)
    village = _editor("demo-village", HINOHARA)
    if chiyoda is None or village is None:
        return []
    if (
        Scan.objects.unscoped("the demo seeds once")
        .filter(organisation__code__in=[CHIYODA, HINOHARA])
        .exists()
    ):
        return ["攻撃対象領域の診断のデモ: 作成済み"]
    if not settings.SCAN_ALLOW_PRIVATE:
        return ["攻撃対象領域の診断のデモ: MAMORU_SCAN_ALLOW_PRIVATE=true のときだけ作成します"]
    load_vulnerabilities()
    with demo_lab() as ports:
        first = _scan(chiyoda, f"{ports['ssh']},{ports['web']}")
        second = _scan(village, str(ports["vpn"]))
    _kev_import()
    raised = services.exposure_alerts_raise(kev_ids=list(KEV_FACTS), vulnerability_ids=[])
    services.exposure_refresh_all()
    services.national_rollup_refresh()
    return [
        f"攻撃対象領域の診断のデモ: 千代田区 {first.findings_seen}件、"
        f"檜原村 {second.findings_seen}件の検出結果、KEV の警告 {raised}件"
        f"（{organisation_by_code(code=HINOHARA).name} → 東京都）",
    ]
