"""Every local government submits an incident report at once, over HTTP, on loopback.

    .venv/bin/python bench/incidents_load.py [--orgs 1788] [--db sqlite|postgres]

Creates a throw-away database (a SQLite file in a temporary directory, or a PostgreSQL
cluster through scripts/with-postgres.sh, which this script re-executes itself under),
loads the organisations, creates one CISO per organisation with an API token (bulk),
starts the real server (``mamoru serve``: granian, several workers) on a free 127.0.0.1
port, and then opens one connection per organisation, all at once: each creates its
report (POST /api/v1/incidents/reports/) and approves and submits it (POST …/submit/).

It prints the latency distribution of each step and of the whole flow, the throughput,
and checks the database afterwards: exactly N submissions, one per organisation, and a
SHA-256 over the sorted content hashes equal to the one computed here from what was
sent (the server stamps the approval and submission times on the timeline; those two
fields are reset before hashing). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
API = "/api/v1/incidents"
HOST = "127.0.0.1"
CATEGORIES = ("ransomware", "unauthorised_access", "data_leak", "malware", "misdelivery")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=1788, help="organisations reporting at once")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=4, help="granian worker processes")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per request")
    return parser.parse_args()


def reexec_under_postgres() -> None:
    """Run this script again inside a throw-away PostgreSQL cluster."""
    script = ROOT / "scripts" / "with-postgres.sh"
    os.execv("/bin/bash", ["bash", str(script), sys.executable, *sys.argv])  # noqa: S606


# --- the database: organisations, one CISO and token per organisation ----------------------


def prepare_database(count: int) -> list[tuple[str, str]]:
    """Migrate, load organisations, create CISOs with tokens; (org code, token) pairs."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from mamoru.accounts.models import ApiToken, User
    from mamoru.accounts.selectors import token_digest
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.models import Membership, Organisation, OrganisationKind
    from mamoru.orgs.principal import System
    from mamoru.orgs.roles import Role, permissions_for
    from mamoru.orgs.services import organisations_import

    call_command("migrate", verbosity=0)
    organisations_import(principal=System("bench set-up"), rows=read_local_governments())
    kinds = [k for k in OrganisationKind.values if k != OrganisationKind.NATIONAL]
    orgs = list(Organisation.objects.filter(kind__in=kinds).order_by("code")[:count])
    if len(orgs) < count:
        raise SystemExit(f"only {len(orgs)} local governments are loaded")
    password = make_password(secrets.token_urlsafe(16))  # hashed once: nobody logs in
    users = User.objects.bulk_create(
        [User(username=f"ciso-{o.code}", email=f"ciso-{o.code}@example.lg.jp", password=password)
         for o in orgs]
    )  # fmt: skip
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=o, role=Role.CISO)
            for u, o in zip(users, orgs, strict=True)
        ]
    )
    granted = sorted(str(p) for p in permissions_for(Role.CISO))
    pairs: list[tuple[str, str]] = []
    tokens = []
    for user, org in zip(users, orgs, strict=True):
        prefix = secrets.token_hex(6)
        plaintext = f"mmr_{prefix}_{secrets.token_urlsafe(32)}"
        tokens.append(
            ApiToken(user=user, organisation=org, name="bench", prefix=prefix,
                     digest=token_digest(plaintext), permissions=granted)
        )  # fmt: skip
        pairs.append((org.code, plaintext))
    ApiToken.objects.bulk_create(tokens)
    from django.db import connections

    connections.close_all()
    return pairs


def report_content(code: str, index: int) -> dict[str, Any]:
    """A distinct, valid report for organisation ``code`` (in its stored form)."""
    from django.utils import timezone

    from mamoru.incidents.content import Contact, ReportContent, Tlp
    from mamoru.incidents.records import stored_form
    from mamoru.incidents.routing import Category, PersonalData
    from mamoru.incidents.routing.testing import make_facts

    # In Japan's time, as reporters write it (the API stores times in the local zone).
    aware = timezone.localtime().replace(microsecond=0) - timedelta(hours=1 + index % 48)
    personal = PersonalData(kinds=("氏名", "住所"), people=50 + index % 200)
    facts = make_facts(
        category=Category(CATEGORIES[index % len(CATEGORIES)]), aware=aware, personal_data=personal
    )
    content = ReportContent(
        facts=facts,
        title=f"負荷試験の報告 {code}",
        sections={"overview": f"{code} の負荷試験（{index}）", "cause": "調査中"},
        contact=Contact(name=f"情報政策課 {code}"),
        tlp=Tlp.AMBER,
        section_tlp={"cause": Tlp.RED},
        red_recipients={"cause": ("PPC",)},
    )
    return stored_form(content)


def content_hash(content: dict[str, Any]) -> str:
    from mamoru.incidents.records import content_checksum

    unstamped = json.loads(json.dumps(content))
    unstamped["facts"]["timeline"]["approved"] = None
    unstamped["facts"]["timeline"]["submitted"] = None
    return content_checksum(unstamped)


def combined(hashes: list[str]) -> str:
    return hashlib.sha256("".join(sorted(hashes)).encode()).hexdigest()


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "mamoru", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    server = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("the server did not start within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- the load generator: raw HTTP/1.1 on asyncio ------------------------------------------


@dataclass
class Flow:
    code: str
    create: float = 0.0
    submit: float = 0.0
    total: float = 0.0
    error: str = ""
    hashes: list[str] = field(default_factory=list)


async def request(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    path: str,
    token: str,
    body: dict[str, Any],
) -> tuple[int, dict[str, Any]]:
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    writer.write(head.encode() + payload)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    data = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, json.loads(data) if data else {}


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    # Connecting may be refused while the accept queue is full; nothing was sent yet, so
    # trying again cannot duplicate a report.
    for attempt in range(50):
        try:
            return await asyncio.open_connection(HOST, port)
        except OSError:
            await asyncio.sleep(0.05 * (attempt + 1))
    raise ConnectionError("could not connect")


async def one_flow(
    port: int, code: str, token: str, content: dict[str, Any], start: asyncio.Event
) -> Flow:
    flow = Flow(code)
    await start.wait()
    began = time.perf_counter()
    try:
        reader, writer = await connect(port)
        status, created = await request(reader, writer, f"{API}/reports/", token, content)
        flow.create = time.perf_counter() - began
        if status != 201:
            flow.error = f"create {status}: {str(created)[:200]}"
            return flow
        path = f"{API}/reports/{created['public_id']}/submit/"
        status, submitted = await request(reader, writer, path, token, {"final": False})
        flow.submit = time.perf_counter() - began - flow.create
        if status != 201:
            flow.error = f"submit {status}: {str(submitted)[:200]}"
        writer.close()
    except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
        flow.error = f"{type(exc).__name__}: {exc}"
    flow.total = time.perf_counter() - began
    return flow


async def generate(
    port: int, work: list[tuple[str, str, dict[str, Any]]], timeout: float
) -> tuple[list[Flow], float]:
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(asyncio.wait_for(one_flow(port, code, token, content, start), timeout))
        for code, token, content in work
    ]
    await asyncio.sleep(0.5)  # every task is waiting on the start line
    began = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - began
    flows = [
        r if isinstance(r, Flow) else Flow(code, error=f"{type(r).__name__}")
        for r, (code, _token, _content) in zip(results, work, strict=True)
    ]
    return flows, elapsed


# --- checking the database and reporting ------------------------------------------------------


def database_check(expected: dict[str, str]) -> dict[str, Any]:
    from django.db import connections
    from django.db.models import Count

    from mamoru.incidents.models import Submission

    connections.close_all()
    rows = list(Submission.objects.values_list("report__organisation__code", "content"))
    per_org = Submission.objects.values("report__organisation").annotate(n=Count("id"))
    hashes = [content_hash(content) for _code, content in rows]
    mismatched = sum(1 for code, content in rows if expected.get(code) != content_hash(content))
    return {
        "submissions": len(rows),
        "organisations": len({code for code, _ in rows}),
        "duplicated": sum(1 for row in per_org if row["n"] > 1),
        "mismatched": mismatched,
        "checksum": combined(hashes),
    }


def distribution(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered
    pick = (lambda p: q[p - 1]) if len(ordered) > 1 else (lambda p: ordered[0])
    return (
        f"p50 {pick(50) * 1000:7.0f} ms  p90 {pick(90) * 1000:7.0f} ms  "
        f"p99 {pick(99) * 1000:7.0f} ms  max {ordered[-1] * 1000:7.0f} ms"
    )


def report(args: argparse.Namespace, flows: list[Flow], elapsed: float, check: dict[str, Any],
           expected_checksum: str) -> bool:  # fmt: skip
    ok = [f for f in flows if not f.error]
    errors = [f for f in flows if f.error]
    print(f"\n{len(flows)} organisations, {args.db}, {args.workers} workers")
    print(f"  create      {distribution([f.create for f in ok])}")
    print(f"  submit      {distribution([f.submit for f in ok])}")
    print(f"  whole flow  {distribution([f.total for f in ok])}")
    print(f"  wall time {elapsed:.1f} s, {len(ok) / elapsed:.1f} reports/s "
          f"({2 * len(ok) / elapsed:.1f} requests/s), errors {len(errors)}")  # fmt: skip
    for flow in errors[:5]:
        print(f"    {flow.code}: {flow.error}")
    print(f"  database: {check['submissions']} submissions of {check['organisations']} "
          f"organisations, {check['duplicated']} duplicated, {check['mismatched']} differ")  # fmt: skip
    same = check["checksum"] == expected_checksum
    print(f"  checksum {check['checksum'][:16]}… {'==' if same else '!='} expected "
          f"{expected_checksum[:16]}…")  # fmt: skip
    return (
        not errors
        and same
        and check["submissions"] == len(flows)
        and check["organisations"] == len(flows)
        and check["duplicated"] == 0
        and check["mismatched"] == 0
    )


def main() -> int:
    args = parse_args()
    if args.db == "postgres" and "MAMORU_DATABASE_URL" not in os.environ:
        reexec_under_postgres()
    workdir = tempfile.TemporaryDirectory(prefix="mamoru-bench-")
    if args.db == "sqlite":
        os.environ["MAMORU_DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamoru.settings")
    os.environ["MAMORU_DATA_DIR"] = workdir.name
    began = time.perf_counter()
    pairs = prepare_database(args.orgs)
    work = [(code, token, report_content(code, i)) for i, (code, token) in enumerate(pairs)]
    expected = {code: content_hash(content) for code, _token, content in work}
    print(f"prepared {len(pairs)} organisations in {time.perf_counter() - began:.1f} s")
    port = free_port()
    server = start_server(port, args.workers, dict(os.environ))
    try:
        flows, elapsed = asyncio.run(generate(port, work, args.timeout))
    finally:
        stop_server(server)
    check = database_check(expected)
    passed = report(args, flows, elapsed, check, combined(list(expected.values())))
    workdir.cleanup()
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
