"""What a log format is to the engine: SQL over one raw message, no Python per row.

A format gives DuckDB expressions over the column ``msg`` (the line without its syslog
header): a cheap predicate that recognises its lines, helper columns computed once per
line (a split CSV, a parsed JSON document, a CEF extension), one expression per core
column, and a ``reason`` expression that names why a recognised line still cannot be
stored (NULL when it can). Lines with a reason go to the quarantine, never away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from mamoru.seccloud.engine.schema import CORE_COLUMNS

__all__ = ["LogFormat", "SqlFormat", "select_sql"]

# Columns the ingest fills itself, never a parser.
_ENGINE_COLUMNS = frozenset(
    {"device_uid", "org_uid", "src_endpoint_location_country", "dst_endpoint_location_country"}
)


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


def select_sql(fmt: LogFormat, source: str, where: str) -> str:
    """``SELECT`` of every core column (typed), ``line`` and ``reason`` for ``fmt``'s lines.

    ``source`` has the columns ``line``, ``msg``, ``host``; helpers are computed in inner
    queries so each is evaluated once per line.
    """
    # One layer per helper: a helper may use the ones before it (and struct fields of them).
    inner = f"SELECT line, msg, host FROM {source} WHERE {where}"
    for name, expr in fmt.helpers.items():
        inner = f"SELECT *, {expr} AS {name} FROM ({inner})"
    typed = []
    names = []
    for name, sql_type in CORE_COLUMNS:
        if name in _ENGINE_COLUMNS:
            continue
        expr = fmt.columns.get(name, "NULL")
        if name == "device_name":
            expr = f"coalesce({expr}, host)"
        typed.append(f"TRY_CAST({expr} AS {sql_type}) AS {name}")
        names.append(name)
    # The reason may use helpers and msg as well as the typed columns; the raw line travels on
    # only where the quarantine needs it.
    parsed = f"SELECT {', '.join(typed)}, * FROM ({inner})"
    return (
        f"SELECT {', '.join(names)}, host, CASE WHEN ({fmt.reason}) IS NOT NULL THEN line END AS line, "
        f"{fmt.reason} AS reason FROM ({parsed})"
    )
