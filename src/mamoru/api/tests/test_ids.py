"""What fuzzing as every role found, kept as plain tests. An identifier no database can hold (beyond a signed 64-bit integer) names nothing: every
operation with an integer in its path answers 404 to it, for a member of the organisation
and for the nation, never a server error (SQLite cannot even bind such a number)."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from mamoru.incidents.testing import add_member
from mamoru.incidents.tests.factories import submitted_report
from mamoru.testing import CHIYODA, Cast, SignIn

TOO_BIG = str(2**70)


def operations_with_integer_ids() -> list[tuple[str, str, list[str]]]:
    schema = SchemaGenerator().get_schema(public=True)  # type: ignore[no-untyped-call]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = [p for p in operation.get("parameters", []) if p["in"] == "path"]
            integers = [p["name"] for p in parameters if p["schema"].get("type") == "integer"]
            if integers:
                found.append((method.upper(), path, integers))
    return found


def url_of(path: str, integers: list[str]) -> str:
    """The path with each integer parameter too big and every other one a real value."""
    values = {"code": CHIYODA, "fmt": "csv", "key": "example", "month": "2026-04"}
    values |= {"item_id": "ORG-01"}
    return re.sub(
        r"\{(\w+)\}", lambda m: TOO_BIG if m[1] in integers else values.get(m[1], "x"), path
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["chiyoda", "nation"])
def test_an_id_beyond_any_database_is_not_found(cast: Cast, signed_in: SignIn, who: str) -> None:
    client = signed_in(getattr(cast, who), api=True)
    client.raise_request_exception = False  # a server error is an answer here, not a crash
    operations = operations_with_integer_ids()
    assert len(operations) > 20  # the list is read from the schema
    answers = {
        (method, url_of(path, integers)): getattr(client, method.lower())(
            url_of(path, integers), data={}, format="json"
        ).status_code
        for method, path, integers in operations
    }
    assert {call: status for call, status in answers.items() if status != 404} == {}


@pytest.mark.django_db
def test_an_export_the_report_has_not_is_not_found(cast: Cast, signed_in: SignIn) -> None:
    """Found by fuzzing as every role: the common form (ransomware and DDoS only) of any
    other report was a server error, for its author and its recipients alike."""
    ciso = add_member("chiyoda_ciso", cast.org(CHIYODA))
    sent = submitted_report(cast.chiyoda, ciso, people=150)  # a leak, not ransomware
    client = signed_in(cast.chiyoda, api=True)
    client.raise_request_exception = False
    response = client.get(f"/api/v1/incidents/reports/{sent.public_id}/versions/1/export/common/")
    assert response.status_code == 404
    assert "ランサムウェア" in response.json()["detail"]
    csv = client.get(f"/api/v1/incidents/reports/{sent.public_id}/versions/1/export/csv/")
    assert csv.status_code == 200
