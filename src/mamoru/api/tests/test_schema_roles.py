"""schemathesis drives every operation as every other role of the cast — the municipal
editor, CISO and viewer, the prefecture, the nation, PPC, and an outsider (signed in,
member of nothing, by session with its CSRF token): no server error, and every response
conforms to the schema. Random fuzzing only, a few examples each, so that this module and
``test_schema`` (the administrator, every phase) each stay within about a minute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamoru.testing.fuzz import ROLES, World, fuzz_settings, load_schema, point_at_real_objects

schema = load_schema(every_phase=False)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
@schema.parametrize()
@fuzz_settings(examples=5)
def test_no_operation_fails_for_any_role(
    case: Any, role: str, world: World, fuzzing: Iterator[int]
) -> None:
    point_at_real_objects(case, world, next(fuzzing))
    case.call_and_validate(headers=world.headers[role])
