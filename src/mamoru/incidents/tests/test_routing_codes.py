"""Routing's recipient codes are the organisation registry's: a rule can only name a body
that exists in mamoru, under the same code and name."""

from __future__ import annotations

from mamoru.incidents.routing.codes import MINISTRY, NATIONAL_BODIES, PREFECTURE, RECIPIENT_CODES
from mamoru.orgs.national import NATIONAL_BODIES as REGISTERED


def test_every_national_recipient_is_a_registered_body_with_the_same_name() -> None:
    registered = {body.code: body.name for body in REGISTERED}
    assert registered == NATIONAL_BODIES


def test_the_placeholders_are_the_only_codes_beyond_the_bodies() -> None:
    assert RECIPIENT_CODES - set(NATIONAL_BODIES) == {PREFECTURE, MINISTRY}
