"""The log formats the engine reads, registered in one place (:data:`FORMATS`).

``auto`` recognises the format per line (so a syslog segment that mixes appliances is
read whole); the first format whose ``detect`` holds wins, in :data:`DETECTION_ORDER`.
"""

from __future__ import annotations

from collections.abc import Mapping

from mamoru.seccloud.engine.formats.base import LogFormat, SqlFormat, select_sql
from mamoru.seccloud.engine.formats.cef import CEF, LEEF
from mamoru.seccloud.engine.formats.digitalarts import IFILTER, MFILTER
from mamoru.seccloud.engine.formats.fortigate import FORTIGATE
from mamoru.seccloud.engine.formats.panos import PANOS, panos_format
from mamoru.seccloud.engine.formats.squid import SQUID
from mamoru.seccloud.engine.formats.suricata import SURICATA
from mamoru.seccloud.engine.formats.syslog import HOST_SQL, MSG_SQL

__all__ = [
    "DETECTION_ORDER",
    "FORMATS",
    "HOST_SQL",
    "MSG_SQL",
    "LogFormat",
    "SqlFormat",
    "detect_sql",
    "panos_format",
    "select_sql",
]

FORMATS: Mapping[str, LogFormat] = {
    f.name: f for f in (FORTIGATE, CEF, LEEF, PANOS, IFILTER, MFILTER, SURICATA, SQUID)
}
# Cheap, unambiguous prefixes first.
DETECTION_ORDER = ("cef", "leef", "suricata", "fortigate", "panos", "squid", "mfilter", "ifilter")


def detect_sql(formats: Mapping[str, LogFormat] = FORMATS) -> str:
    """SQL naming each line's format (NULL when none recognises it)."""
    cases = " ".join(
        f"WHEN {formats[name].detect} THEN '{name}'" for name in DETECTION_ORDER if name in formats
    )
    return f"CASE {cases} END"
