"""What a log format is to the engine: SQL over one raw message, no Python per row.

A format gives DuckDB expressions over the column ``msg`` (the line without its syslog
header): a cheap predicate that recognises its lines, helper columns computed once per
line (a split CSV, a parsed JSON document, a CEF extension), one expression per core
column, and a ``reason`` expression that names why a recognised line still cannot be
stored (NULL when it can). Lines with a reason go to the quarantine, never away.

Addresses leave a parser as text: the engine turns each *distinct* address into its number,
municipality and country once per segment (see :mod:`..attribution`), not once per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mamoru.seccloud.engine.schema import CORE_COLUMNS

__all__ = ["PARSED_COLUMNS", "LogFormat", "SqlFormat", "select_sql", "unmapped_json"]

# Columns the ingest fills itself, never a parser.
_ENGINE_COLUMNS = frozenset(
    {"device_uid", "org_uid", "src_endpoint_location_country", "dst_endpoint_location_country"}
)
_ADDRESS_COLUMNS = frozenset({"src_endpoint_ip", "dst_endpoint_ip"})

# What a parser yields: the core columns it fills, with the addresses still as text.
PARSED_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (name, "VARCHAR" if name in _ADDRESS_COLUMNS else sql_type)
    for name, sql_type in CORE_COLUMNS
    if name not in _ENGINE_COLUMNS
)


def unmapped_json(fields: Mapping[str, str]) -> str:
    """SQL for OCSF ``unmapped``: a JSON object of the named expressions.

    A field the line lacks is ``null`` (stripping them costs a second JSON pass per row).
    """
    pairs = ", ".join(f"'{name}': {expr}" for name, expr in fields.items())
    return f"to_json({{{pairs}}})"


class LogFormat(Protocol):
    """A parser: SQL expressions over ``msg`` (see the module docstring)."""

    @property
    def name(self) -> str: ...

    @property
    def detect(self) -> str: ...

    @property
    def helpers(self) -> Mapping[str, str]: ...

    @property
    def columns(self) -> Mapping[str, str]: ...

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class SqlFormat:
    """The ordinary implementation of :class:`LogFormat`."""

    name: str
    detect: str
    columns: Mapping[str, str]
    helpers: Mapping[str, str] = field(default_factory=dict)
    # By default a line is stored when its time could be read.
    reason: str = "CASE WHEN time IS NULL THEN 'no timestamp' END"

    def __post_init__(self) -> None:
        known = {name for name, _ in CORE_COLUMNS}
        unknown = set(self.columns) - known
        if unknown:
            raise ValueError(f"{self.name}: unknown core columns {sorted(unknown)}")
        if set(self.columns) & _ENGINE_COLUMNS:
            raise ValueError(f"{self.name}: columns {sorted(_ENGINE_COLUMNS)} are the engine's")


def select_sql(
    fmt: LogFormat,
    source: str,
    where: str,
    *,
    inputs: Sequence[str] = ("line", "msg", "host"),
    passthrough: Sequence[str] = (),
) -> str:
    """``SELECT`` of the parsed columns (typed), ``host``, ``line`` and ``reason`` for ``fmt``.

    ``source`` has the columns ``inputs`` (at least ``line``; ``host`` may be missing and is
    then NULL); helpers are computed in inner queries so each is evaluated once per line.
    ``passthrough`` columns of the source are kept at the end.
    """
    # One layer per helper: a helper may use the ones before it (and struct fields of them).
    chosen = list(inputs) if "host" in inputs else [*inputs, "NULL::VARCHAR AS host"]
    inner = f"SELECT {', '.join([*chosen, *passthrough])} FROM {source} WHERE {where}"
    for name, expr in fmt.helpers.items():
        inner = f"SELECT *, {expr} AS {name} FROM ({inner})"
    typed = []
    names = []
    for name, sql_type in PARSED_COLUMNS:
        expr = fmt.columns.get(name, "NULL")
        if name == "device_name":
            expr = f"coalesce({expr}, host)"
        typed.append(f"TRY_CAST({expr} AS {sql_type}) AS {name}")
        names.append(name)
    # The reason may use helpers and msg as well as the typed columns; the raw line travels on
    # only where the quarantine needs it.
    parsed = f"SELECT {', '.join(typed)}, * FROM ({inner})"
    extra = "".join(f", {name}" for name in passthrough)
    return (
        f"SELECT {', '.join(names)}, host, CASE WHEN ({fmt.reason}) IS NOT NULL THEN line END AS line, "
        f"{fmt.reason} AS reason{extra} FROM ({parsed})"
    )
