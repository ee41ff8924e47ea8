"""The demo of ``make run``, contributed by each app.

An app that has demo data writes a ``demo.py`` module with functions registered by
``@demo_seeder(order=N)``; ``mamoru seed-demo`` imports every installed app's ``demo``
module (as Django's admin discovers ``admin`` modules) and runs the seeders in order, in
one transaction. Seeders are idempotent: running the demo twice changes nothing. Each
returns lines to print (the demo logins, what was made). Never in production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Seeder = Callable[[], list[str]]


@dataclass(frozen=True)
class _Registered:
    order: int
    name: str
    seed: Seeder


_SEEDERS: dict[str, _Registered] = {}


def demo_seeder(*, order: int) -> Callable[[Seeder], Seeder]:
    """Register ``seed`` to run at ``order`` (people first: 10; then data that needs them)."""

    def register(seed: Seeder) -> Seeder:
        name = f"{seed.__module__}.{seed.__qualname__}"
        _SEEDERS[name] = _Registered(order=order, name=name, seed=seed)
        return seed

    return register


def demo_seeders() -> list[Seeder]:
    """The registered seeders, in order."""
    return [r.seed for r in sorted(_SEEDERS.values(), key=lambda r: (r.order, r.name))]
