"""A national campaign over a large loopback target set, on 1, 2 and 4 RQ workers, and the
same campaign with one worker SIGKILLed half-way.

    .venv/bin/python bench/asm_campaign.py [--db postgres|sqlite] [--organisations 120]
        [--prefix 26] [--ports 16] [--workers 1,2,4] [--kill]

For each run: a fresh database (PostgreSQL by default: this script re-executes itself
under scripts/with-postgres.sh) and a fresh ``redis-server`` on 127.0.0.1; the
organisations loaded; each of ``--organisations`` local governments gets an approved
range of loopback addresses (127.N.M.0/``--prefix``) and ``--ports`` ports, one of them a
web server (a directory listing, identified and checked) on the range's first address;
then ``mamoru worker`` × W (RQ) and ``mamoru schedule cron`` start, and the campaign is
started with ``mamoru asm campaign``. The run ends when every scan has finished.

It prints, per W: the campaign's wall time, probes per second (addresses × ports of all
jobs / wall time), jobs done / failed, findings stored and distinct finding keys (a
duplicate would make them differ). With ``--kill``, the largest W runs again and one worker
— its whole process group, work horse included — is SIGKILLed when a third of the jobs are
done and every worker is in a job: the verdict asks that every job still ends done and
nothing is stored twice.
Traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LISTING = (
    b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 64\r\n"
    b"Connection: close\r\n\r\n<html><head><title>Index of /</title></head><body></body></html>"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--organisations", type=int, default=120)
    parser.add_argument("--prefix", type=int, default=26, help="each range is a /PREFIX")
    parser.add_argument("--ports", type=int, default=16)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--kill", action="store_true")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def network(index: int, prefix: int) -> str:
    """The index-th loopback range: 127.20.0.0/PREFIX, then onwards (never 127.0.0.x)."""
    size = 1 << (32 - prefix)
    start = (127 << 24) + (20 << 16) + index * size
    return f"{socket.inet_ntoa(start.to_bytes(4, 'big'))}/{prefix}"


@contextmanager
def web_servers(addresses: list[str], port: int) -> Iterator[None]:
    """One HTTP server (a directory listing) on ``port`` of each address, in a thread."""
    loop = asyncio.new_event_loop()
    servers: list[asyncio.Server] = []
    ready = threading.Event()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            writer.write(LISTING)
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, TimeoutError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def start() -> None:
        for address in addresses:
            servers.append(await asyncio.start_server(answer, address, port, backlog=512))
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield
    finally:
        for server in servers:
            loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@contextmanager
def redis_server(directory: str) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", directory],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def kill_with_children(pid: int) -> None:
    """SIGKILL a worker and its work horse (RQ forks the horse into a session of its own)."""
    children = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    for child in children.stdout.split():
        os.kill(int(child), signal.SIGKILL)
    os.killpg(pid, signal.SIGKILL)


def database(kind: str, directory: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory}/campaign-{uuid.uuid4().hex[:8]}.sqlite3"
    import psycopg

    base = os.environ["MAMORU_DATABASE_URL"].replace("postgres://", "postgresql://")
    name = f"asm_campaign_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


SEED = """
from mamoru.asm import services
from mamoru.asm.testing import SYSTEM
from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS
from mamoru.orgs.selectors import organisation_list
chosen = [o for o in organisation_list() if o.kind in LOCAL_GOVERNMENT_KINDS][:{count}]
for index, organisation in enumerate(chosen):
    asset = services.asset_create(principal=SYSTEM, organisation=organisation, kind="range",
                                  value={networks}[index], ports="{ports}")
    services.asset_approve(principal=SYSTEM, asset=asset)
"""
QUERY = {
    "scans": "SELECT COUNT(*) FROM asm_scan WHERE status IN ('succeeded', 'partial', 'failed') "
    "AND reason = 'campaign'",
    "jobs_done": "SELECT COUNT(*) FROM asm_scanjob WHERE status = 'succeeded'",
    "jobs_failed": "SELECT COUNT(*) FROM asm_scanjob WHERE status = 'failed'",
    "jobs": "SELECT COUNT(*) FROM asm_scanjob",
    "attempts": "SELECT COALESCE(MAX(attempts), 0) FROM asm_scanjob",
    "running": "SELECT COUNT(*) FROM asm_scanjob WHERE status = 'running'",
    "findings": "SELECT COUNT(*) FROM asm_finding",
    "keys": "SELECT COUNT(*) FROM (SELECT DISTINCT organisation_id, key FROM asm_finding) k",
    "probes": "SELECT COALESCE(SUM(probes_done), 0) FROM asm_scanjob",
}


class Run:
    def __init__(self, args: argparse.Namespace, directory: str, redis: str) -> None:
        self.args, self.directory = args, directory
        self.url = database(args.db, directory)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mamoru.settings",
            "MAMORU_DATABASE_URL": self.url,
            "MAMORU_DATA_DIR": directory,
            "MAMORU_TASK_BACKEND": "rq",
            "MAMORU_REDIS_URL": redis,
            "MAMORU_SCAN_ALLOW_PRIVATE": "true",
            "MAMORU_ASM_SCAN_PORTS": "",
            "MAMORU_ASM_SCAN_RATE": "20000",
            "MAMORU_ASM_GLOBAL_RATE": "160000",
            "MAMORU_ASM_MAX_RUNNING_JOBS": "8",
            "MAMORU_ASM_SCAN_TIMEOUT": "0.5",
            "MAMORU_ASM_JOB_HEARTBEAT_SECONDS": "1",
            "MAMORU_ASM_JOB_STALE_SECONDS": "6",
            "MAMORU_ASM_RECOVER_SECONDS": "2",
            "MAMORU_SCHEDULER_TICK_SECONDS": "1",
            # The campaign alone: no scheduled scan of the newly approved assets meanwhile.
            "MAMORU_ASM_SCHEDULED_SCANS": "false",
            "MAMORU_LOG_LEVEL": "WARNING",
        }

    def mamoru(self, *argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "mamoru", *argv], env=self.env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            sys.exit(done.stderr[-4000:])
        return done.stdout

    def value(self, name: str) -> int:
        return int(self.query(QUERY[name]))

    def query(self, sql: str) -> Any:
        if self.url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as db:
                return db.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as db:
            row = db.execute(sql.encode()).fetchone()
            assert row is not None
            return row[0]

    def spawn(self, *argv: str, log: str) -> subprocess.Popen[bytes]:
        with open(Path(self.directory) / log, "wb") as out:
            return subprocess.Popen([sys.executable, "-m", "mamoru", *argv], env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def prepare(run: Run, networks: list[str], ports: str) -> None:
    run.mamoru("migrate", "--no-input", "-v", "0")
    run.mamoru("load-organisations")
    script = SEED.format(count=len(networks), networks=networks, ports=ports)
    run.mamoru("shell", "-c", script)


def campaign(args: argparse.Namespace, workers: int, kill: bool) -> dict[str, Any]:
    networks = [network(i, args.prefix) for i in range(args.organisations)]
    web = 8080
    ports = ",".join(str(p) for p in [web, *range(41000, 41000 + args.ports - 1)])
    with tempfile.TemporaryDirectory() as directory, redis_server(directory) as redis:
        run = Run(args, directory, redis)
        prepare(run, networks, ports)
        processes = [run.spawn("worker", log=f"worker-{n}.log") for n in range(workers)]
        processes.append(run.spawn("schedule", "cron", log="cron.log"))
        killed = False
        try:
            time.sleep(3)  # workers connect to Redis
            started = time.perf_counter()
            run.mamoru("asm", "campaign", "--name", f"bench {workers}")
            total = run.value("jobs")
            while run.value("scans") < args.organisations:
                busy = kill and not killed and run.value("jobs_done") >= total // 3
                if busy and run.value("running") >= workers:  # every worker in a job
                    kill_with_children(processes[0].pid)  # the worker and its work horse
                    killed = True
                time.sleep(0.5)
            seconds = time.perf_counter() - started
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        figures = {name: run.value(name) for name in QUERY}
    probes = figures["probes"]
    return {"workers": workers, "killed": killed, "seconds": seconds,
            "rate": probes / seconds, **figures}  # fmt: skip


def main() -> None:
    args = parse_args()
    if args.db == "postgres" and "postgres" not in os.environ.get("MAMORU_DATABASE_URL", ""):
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv("/bin/bash", ["bash", str(script), sys.executable, *sys.argv])  # noqa: S606
    counts = [int(w) for w in args.workers.split(",")]
    addresses = [network(i, args.prefix).split("/")[0] for i in range(args.organisations)]
    results = []
    with web_servers(addresses, 8080):
        for workers in counts:
            results.append(campaign(args, workers, kill=False))
        if args.kill:
            results.append(campaign(args, max(counts), kill=True))
    size = args.organisations * (1 << (32 - args.prefix)) * args.ports
    print(f"database: {args.db}; {args.organisations} organisations × /{args.prefix} × "
          f"{args.ports} ports = {size:,} probes, one web server per organisation")  # fmt: skip
    print(f"{'workers':>8} {'killed':>7} {'seconds':>8} {'probes/s':>9} {'jobs done':>10} "
          f"{'failed':>7} {'max tries':>9} {'findings':>9} {'keys':>6}")  # fmt: skip
    for r in results:
        print(f"{r['workers']:>8} {'yes' if r['killed'] else 'no':>7} {r['seconds']:>8.1f} "
              f"{r['rate']:>9,.0f} {r['jobs_done']:>5}/{r['jobs']:<4} {r['jobs_failed']:>7} "
              f"{r['attempts']:>9} {r['findings']:>9} {r['keys']:>6}")  # fmt: skip
    plain = [r for r in results if not r["killed"]]
    grows = all(b["rate"] > a["rate"] for a, b in itertools.pairwise(plain))
    lost = [r for r in results if r["jobs_done"] != r["jobs"] or r["findings"] != r["keys"]]
    print("verdict:", "throughput grows with workers" if grows else "throughput does NOT grow",
          "; no job lost or stored twice" if not lost else "; JOBS LOST OR DUPLICATED")  # fmt: skip


if __name__ == "__main__":
    main()
