"""Every operation of the schema has its own name (clients generate methods from them)."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator


def test_operation_ids_are_unique_and_lists_are_named_list() -> None:
    schema = SchemaGenerator().get_schema(public=True)  # type: ignore[no-untyped-call]
    ids = {
        (method.upper(), path): operation["operationId"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert len(set(ids.values())) == len(ids)
    assert ids["GET", "/api/v1/incidents/reports/"] == "incidents_reports_list"
    assert ids["GET", "/api/v1/incidents/reports/{public_id}/"] == "incidents_reports_retrieve"
