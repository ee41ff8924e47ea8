from __future__ import annotations

import asyncio
import socket
import time
import tracemalloc
from collections import Counter
from collections.abc import Coroutine, Iterator
from itertools import count
from typing import Any, TypeVar

import pytest

from mamoru.asm.engine.model import PortResult, PortState, Target
from mamoru.asm.engine.portscan import (
    PortScanConfig,
    ProbeOutcome,
    RttEstimator,
    TokenBucket,
    _Alarms,
    _EpollProber,
    scan_ports,
    tcp_connect_probe,
)

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def collect(
    items: Any, config: PortScanConfig, **kwargs: Any
) -> dict[tuple[str, int], PortResult]:
    return {(r.ip, r.port): r async for r in scan_ports(items, config, **kwargs)}


def test_open_closed_and_stalled_ports_on_loopback() -> None:
    async def scenario() -> tuple[dict[tuple[str, int], PortResult], int, int, int]:
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
        open_port = server.sockets[0].getsockname()[1]
        # listens but never accepts: the kernel still completes the handshake, so a
        # service that stalls after connecting is open
        stalled = socket.socket()
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(8)
        stalled_port = stalled.getsockname()[1]
        closed_port = free_port()
        try:
            items = [(Target("127.0.0.1", "lab.test"), (open_port, stalled_port, closed_port))]
            results = await collect(items, PortScanConfig(timeout=1.0))
        finally:
            stalled.close()
            server.close()
            await server.wait_closed()
        return results, open_port, stalled_port, closed_port

    results, open_port, stalled_port, closed_port = run(scenario())
    assert results["127.0.0.1", open_port].state is PortState.OPEN
    assert results["127.0.0.1", open_port].reason == "syn-ack"
    assert results["127.0.0.1", open_port].hostname == "lab.test"
    assert results["127.0.0.1", stalled_port].state is PortState.OPEN
    closed = results["127.0.0.1", closed_port]
    assert (closed.state, closed.reason) == (PortState.CLOSED, "conn-refused")
    assert closed.rtt_ms is not None
    assert closed.rtt_ms < 1000


def test_every_target_and_port_gets_exactly_one_result() -> None:
    ports = (free_port(), free_port())
    items = [(Target(f"127.0.1.{n}"), ports) for n in range(64)]
    results = run(collect(items, PortScanConfig(concurrency=50)))
    assert len(results) == 128
    assert {result.state for result in results.values()} == {PortState.CLOSED}
    assert {key[0] for key in results} == {f"127.0.1.{n}" for n in range(64)}


def test_ipv6_loopback_is_probed() -> None:
    async def scenario() -> PortState:
        server = await asyncio.start_server(lambda r, w: w.close(), "::1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            outcome = await tcp_connect_probe("::1", port, 1.0)
        finally:
            server.close()
        assert outcome.state is not None
        return outcome.state

    assert run(scenario()) is PortState.OPEN


def test_the_rate_is_bounded() -> None:
    ports = tuple(free_port() for _ in range(2))
    items = [(Target(f"127.0.2.{n}"), ports) for n in range(20)]  # 40 probes
    started = time.perf_counter()
    results = run(collect(items, PortScanConfig(rate=100, concurrency=40)))
    elapsed = time.perf_counter() - started
    assert len(results) == 40
    assert elapsed >= 0.35  # 39 intervals of 10 ms; unbounded it takes a few ms


class FakeProber:
    """Answers from a table; counts attempts and connects in flight."""

    def __init__(self, answers: dict[int, ProbeOutcome | None], delay: float = 0.0) -> None:
        self.answers = answers
        self.delay = delay
        self.calls: Counter[tuple[str, int]] = Counter()
        self.timeouts: list[float] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def __call__(self, ip: str, port: int, timeout: float) -> ProbeOutcome:
        self.calls[ip, port] += 1
        self.timeouts.append(timeout)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        answer = self.answers.get(port)
        return answer if answer is not None else ProbeOutcome(None, "no-response")


def test_concurrency_is_bounded() -> None:
    prober = FakeProber({80: ProbeOutcome(PortState.CLOSED, "conn-refused", 0.001)}, delay=0.01)
    items = [(Target(f"198.51.100.{n}"), (80,)) for n in range(100)]
    results = run(collect(items, PortScanConfig(concurrency=7, rate=None), prober=prober))
    assert len(results) == 100
    assert prober.most_in_flight == 7


def test_only_unanswered_probes_are_retried_with_a_growing_timeout() -> None:
    prober = FakeProber(
        {
            22: ProbeOutcome(PortState.OPEN, "syn-ack", 0.001),
            23: ProbeOutcome(PortState.CLOSED, "conn-refused", 0.001),
            24: ProbeOutcome(PortState.FILTERED, "host-unreach", 0.001),
        }
    )
    config = PortScanConfig(concurrency=1, rate=None, retries=3, timeout=0.8, min_timeout=0.1)
    results = run(collect([(Target("198.51.100.1"), (25,))], config, prober=prober))
    assert (results["198.51.100.1", 25].state, results["198.51.100.1", 25].reason) == (
        PortState.FILTERED,
        "no-response",
    )
    assert prober.timeouts == [0.8, 0.8, 0.8, 0.8]  # no answer yet: the initial one, capped

    prober = FakeProber(prober.answers)
    results = run(collect([(Target("198.51.100.1"), (22, 23, 24, 25))], config, prober=prober))
    assert [prober.calls["198.51.100.1", port] for port in (22, 23, 24, 25)] == [1, 1, 1, 4]
    assert results["198.51.100.1", 24].reason == "host-unreach"
    # after three 1 ms answers the estimate is far below the floor: doubling it per retry
    # leaves every try on the floor (a hundred of the host's round trips)
    assert prober.timeouts[3:] == [0.1, 0.1, 0.1, 0.1]


def test_rtt_estimator_starts_at_the_initial_timeout_and_tightens() -> None:
    estimator = RttEstimator(initial=1.0, floor=0.05, ceiling=2.0)
    assert estimator.timeout() == 1.0
    estimator.update(0.010)
    assert estimator.timeout() == pytest.approx(0.05)  # 10 ms + 4·5 ms, raised to the floor
    for _ in range(20):
        estimator.update(0.200)
    assert 0.2 < estimator.timeout() < 0.5
    for sample in (0.1, 1.5, 0.1, 1.5):
        estimator.update(sample)
    assert estimator.timeout() == 2.0  # jitter widens the timeout, up to the ceiling


def test_a_retry_doubles_the_hosts_estimate_within_the_bounds() -> None:
    slow = RttEstimator(initial=3.0, floor=0.1, ceiling=3.0)
    slow.update(0.3)  # rto = 0.3 + 4 × 0.15 = 0.9 s
    assert [slow.timeout(attempt) for attempt in range(3)] == pytest.approx([0.9, 1.8, 3.0])
    fast = RttEstimator(initial=3.0, floor=0.1, ceiling=3.0)
    fast.update(0.001)  # rto = 6 ms: 16 × that is still under the floor
    assert [fast.timeout(attempt) for attempt in range(5)] == pytest.approx([0.1] * 5)
    fresh = RttEstimator(initial=1.0, floor=0.1, ceiling=3.0)
    assert [fresh.timeout(attempt) for attempt in range(3)] == [1.0, 2.0, 3.0]


def test_targets_are_drawn_lazily_and_closing_stops_the_scan() -> None:
    drawn = 0

    def endless() -> Iterator[tuple[Target, tuple[int, ...]]]:
        nonlocal drawn
        for n in count():
            drawn += 1
            yield Target(f"8.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"), (80, 443)

    prober = FakeProber({80: ProbeOutcome(PortState.CLOSED, "conn-refused", 0.001)})

    async def scenario() -> tuple[int, int]:
        config = PortScanConfig(concurrency=4, rate=None, host_group=16, timeout=0.01)
        iterator = scan_ports(endless(), config, prober=prober)
        first = [result async for result in islice_async(iterator, 50)]
        await iterator.aclose()
        await asyncio.sleep(0)
        return len(first), len(asyncio.all_tasks())

    got, tasks_left = run(scenario())
    assert got == 50
    assert drawn <= 16 * 3  # a few host groups, not the endless product
    assert tasks_left == 1  # only the test's own task: every worker is gone


async def islice_async(iterator: Any, limit: int) -> Any:
    seen = 0
    async for item in iterator:
        yield item
        seen += 1
        if seen == limit:
            return


def test_ports_are_interleaved_across_the_hosts_of_a_group() -> None:
    order: list[tuple[str, int]] = []

    async def recording(ip: str, port: int, timeout: float) -> ProbeOutcome:
        order.append((ip, port))
        return ProbeOutcome(PortState.CLOSED, "conn-refused", 0.001)

    items = [(Target("8.8.8.1"), (1, 2)), (Target("8.8.8.2"), (1, 2, 3))]
    run(collect(items, PortScanConfig(concurrency=1, rate=None), prober=recording))
    assert order == [("8.8.8.1", 1), ("8.8.8.2", 1), ("8.8.8.1", 2), ("8.8.8.2", 2), ("8.8.8.2", 3)]


def test_memory_stays_flat_as_targets_grow() -> None:
    async def prober(ip: str, port: int, timeout: float) -> ProbeOutcome:
        await asyncio.sleep(0)
        return ProbeOutcome(PortState.CLOSED, "conn-refused", 0.001)

    def peak(targets: int) -> int:
        items = (
            (Target(f"8.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"), (80,)) for n in range(targets)
        )
        config = PortScanConfig(concurrency=64, rate=None, host_group=256)

        async def scenario() -> int:
            seen = 0
            async for _ in scan_ports(items, config, prober=prober):
                seen += 1
            return seen

        tracemalloc.start()
        try:
            assert run(scenario()) == targets
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(1_000), peak(16_000)
    assert large < small * 1.5


def test_a_prober_failure_ends_the_scan_with_that_error() -> None:
    async def broken(ip: str, port: int, timeout: float) -> ProbeOutcome:
        raise OSError(99, "boom")

    with pytest.raises(OSError, match="boom"):
        run(collect([(Target("8.8.8.8"), (1, 2, 3))], PortScanConfig(), prober=broken))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"concurrency": 0}, "concurrency"),
        ({"rate": 0}, "rate"),
        ({"timeout": 0}, "timeouts"),
        ({"retries": -1}, "retries"),
        ({"host_group": 0}, "host_group"),
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PortScanConfig(**kwargs)


def test_sockets_are_released(tmp_path: Any) -> None:
    import os

    before = len(os.listdir("/proc/self/fd"))
    port = free_port()
    items = [(Target(f"127.0.3.{n}"), (port,)) for n in range(200)]
    run(collect(items, PortScanConfig(concurrency=100)))
    assert len(os.listdir("/proc/self/fd")) <= before + 2


def test_the_scans_own_prober_times_out_unanswered_handshakes_on_time() -> None:
    # A listener whose accept queue is full drops further SYNs: an unanswered handshake
    # on loopback, without a firewall.
    async def scenario() -> list[tuple[ProbeOutcome, float]]:
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen(0)
            port = server.getsockname()[1]
            prober = _EpollProber()
            try:
                outcomes = []
                for _ in range(3):
                    started = time.monotonic()
                    outcome = await prober("127.0.0.1", port, 0.2)
                    outcomes.append((outcome, time.monotonic() - started))
                return outcomes
            finally:
                prober.close()

    (first, _), *unanswered = run(scenario())
    assert first.state is PortState.OPEN
    for outcome, elapsed in unanswered:
        assert outcome == ProbeOutcome(None, "no-response")
        assert 0.2 <= elapsed < 0.3  # never early, at most one alarm slot (5 ms) late


def test_alarms_share_a_timer_and_never_fire_early() -> None:
    async def scenario() -> tuple[list[bool], list[float], int]:
        loop = asyncio.get_running_loop()
        alarms = _Alarms()
        deadline = loop.time() + 0.05
        waiters = [loop.create_future() for _ in range(100)]
        before = len(loop._scheduled)  # type: ignore[attr-defined]
        for waiter in waiters:
            alarms.add(loop, deadline, waiter)
        timers = len(loop._scheduled) - before  # type: ignore[attr-defined]
        waiters[0].set_result(True)  # answered before the deadline: kept
        fired = []
        for waiter in waiters:
            fired.append(await waiter)
        return fired, [loop.time() - deadline], timers

    fired, (late,), timers = run(scenario())
    assert fired == [True] + [False] * 99
    assert late >= 0
    assert timers == 1


def test_the_rate_limit_holds_with_sleepers_on_shared_timers() -> None:
    async def scenario() -> float:
        bucket = TokenBucket(rate=2000, burst=1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.gather(*(bucket.acquire() for _ in range(200)))
        return loop.time() - started

    elapsed = run(scenario())
    assert elapsed >= 199 / 2000  # 200 probes at 2,000/s: never faster
