"""Syslog framing of one line, in SQL: RFC 5424, RFC 3164 or none.

Appliances send the same payload with or without a header (FortiGate sends ``<PRI>`` then
its key=value pairs; Check Point, PAN-OS and Squid usually an RFC 3164 header with a
hostname and a tag). The header's hostname is kept as ``host`` (the device name when the
payload names none); the payload becomes ``msg`` for the formats.
"""

from __future__ import annotations

__all__ = ["HOST_SQL", "MSG_SQL"]

# RFC 5424: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]
_RFC5424 = (
    r"^<\d{1,3}>1 \S+ (\S+) \S+ \S+ \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?:\x{FEFF})?(.*))?$"
)
# RFC 3164: <PRI>Mmm dd hh:mm:ss HOSTNAME [TAG[pid]: ]MSG (BSD syslog; some senders omit
# the PRI when writing to files).
_RFC3164 = r"^(?:<\d{1,3}>)?[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d (\S+) (?:[A-Za-z][\w\-./]{0,47}(?:\[\d+\])?: )?(.*)$"


def _is_5424() -> str:
    return "starts_with(regexp_replace(line, '^<\\d{1,3}>', ''), '1 ')"


# The common case first: a payload straight after <PRI> (FortiGate) costs one substring.
MSG_SQL = f"""CASE
  WHEN NOT (starts_with(line, '<') OR regexp_matches(line, '^[A-Z][a-z]{{2}} [ 0-9]\\d \\d\\d:'))
    THEN line
  WHEN regexp_matches(line, '^<\\d{{1,3}}>[a-z{{]') THEN substr(line, strpos(line, '>') + 1)
  WHEN {_is_5424()} THEN coalesce(regexp_extract(line, '{_RFC5424}', 2), '')
  WHEN regexp_matches(line, '{_RFC3164}') THEN regexp_extract(line, '{_RFC3164}', 2)
  ELSE regexp_replace(line, '^<\\d{{1,3}}>', '') END"""

HOST_SQL = f"""CASE
  WHEN NOT (starts_with(line, '<') OR regexp_matches(line, '^[A-Z][a-z]{{2}} [ 0-9]\\d \\d\\d:'))
    THEN NULL
  WHEN regexp_matches(line, '^<\\d{{1,3}}>[a-z{{]') THEN NULL
  WHEN {_is_5424()} THEN nullif(regexp_extract(line, '{_RFC5424}', 1), '-')
  ELSE nullif(regexp_extract(line, '{_RFC3164}', 1), '') END"""
