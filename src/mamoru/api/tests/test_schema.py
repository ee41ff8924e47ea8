"""schemathesis drives every operation of the OpenAPI schema as the municipal
administrator, with every phase: the schema's examples, the coverage of boundary and
invalid values, and random fuzzing. No server error, and every response conforms to the
schema. ``test_schema_roles`` does the same for every other role of the cast."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamoru.testing.fuzz import World, fuzz_settings, load_schema, point_at_real_objects

schema = load_schema(every_phase=True)


@pytest.mark.django_db(transaction=False)
# The role in the test id also gives every operation a test id of its own: without a
# pytest parameter, schemathesis's items share one id, and pytest-xdist then runs one.
@pytest.mark.parametrize("role", ["admin"])
@schema.parametrize()
@fuzz_settings(examples=15)
def test_no_operation_fails_or_breaks_its_schema(
    case: Any, role: str, world: World, fuzzing: Iterator[int]
) -> None:
    point_at_real_objects(case, world, next(fuzzing))
    case.call_and_validate(headers=world.headers[role])
