"""Run probes side by side and keep the first conclusive answer.

Identification is one round of parallel probing, not a chain: every probe of a *wave*
starts at once on its own connection. The first answer that is conclusive wins and the
other probes are cancelled (their connections aborted). A *tentative* answer — a greeting
no rule knows, an HTTP error that says the port wants TLS — is kept and returned only if
nothing conclusive arrives before every probe has finished or the deadline passes.

A later wave starts when the earlier waves have all finished without a conclusive answer,
or after ``stagger`` seconds, whichever comes first: a port whose number suggests a
protocol gets that probe alone for a moment, and the fan-out only when the hint was wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from mamoru.asm.engine.identify.result import Ident

log = logging.getLogger(__name__)

Attempt = Callable[[], Awaitable[Ident | None]]


async def _quietly(attempt: Attempt, name: str) -> Ident | None:
    """A probe's answer; a network failure or an unparseable reply is just no answer."""
    try:
        return await attempt()
    except (OSError, TimeoutError, EOFError):
        return None
    except Exception:  # a parser choking on hostile bytes must not lose the other probes
        log.debug("probe %s failed", name, exc_info=True)
        return None


async def _after(gate: asyncio.Event, stagger: float, attempt: Attempt, name: str) -> Ident | None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(gate.wait(), stagger)
    return await _quietly(attempt, name)


def _pick(tentative: list[tuple[int, Ident]]) -> Ident | None:
    """Among tentative answers, the one from the probe listed first."""
    return min(tentative, key=lambda item: item[0])[1] if tentative else None


def _start(
    waves: Sequence[Sequence[tuple[str, Attempt]]], gate: asyncio.Event, stagger: float
) -> tuple[dict[asyncio.Task[Ident | None], int], set[asyncio.Task[Ident | None]]]:
    """Create every probe's task (later waves wait on ``gate``); their ranks; the first wave."""
    tasks: dict[asyncio.Task[Ident | None], int] = {}
    first_wave: set[asyncio.Task[Ident | None]] = set()
    for number, wave in enumerate(waves):
        for name, attempt in wave:
            coro = _quietly(attempt, name) if number == 0 else _after(gate, stagger, attempt, name)
            task = asyncio.create_task(coro, name=f"identify-{name}")
            tasks[task] = len(tasks)
            if number == 0:
                first_wave.add(task)
    if not first_wave:
        gate.set()
    return tasks, first_wave


async def race(
    waves: Sequence[Sequence[tuple[str, Attempt]]],
    *,
    deadline: float,
    stagger: float = 0.0,
) -> Ident | None:
    """Run the probes of ``waves`` (see the module text) until ``deadline`` (loop time)."""
    gate = asyncio.Event()
    tasks, first_wave = _start(waves, gate, stagger)
    tentative: list[tuple[int, Ident]] = []
    pending = set(tasks)
    try:
        async with asyncio.timeout_at(deadline):
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in sorted(done, key=tasks.__getitem__):
                    ident = task.result()
                    if ident is not None and not ident.tentative:
                        return ident
                    if ident is not None:
                        tentative.append((tasks[task], ident))
                if first_wave.isdisjoint(pending):
                    gate.set()
    except TimeoutError:
        pass
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    return _pick(tentative)
