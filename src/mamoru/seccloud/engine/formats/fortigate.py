"""FortiGate (FortiOS) syslog in key=value form: traffic and the utm and event types.

Written from Fortinet's FortiOS Log Message Reference: a line is ``key=value`` pairs
separated by spaces, string values in double quotes; ``type``/``subtype`` name the log
(traffic/forward, utm/ips, utm/virus, utm/webfilter, utm/emailfilter, event/system …);
``eventtime`` is the epoch in s, ms, µs or ns depending on the FortiOS version, ``date``
and ``time`` the local time with ``tz``. Sandbox verdicts arrive as utm/virus with an
``eventtype`` of ``analytics`` or ``fortisandbox`` and ``fsaverdict``.

The columns are written once, over a struct ``v`` of the values by key name. Two paths fill
``v``: :data:`FORTIGATE` with one regular expression per key (any line, any key order), and
the layout path of :mod:`..fastkv` that splits a line on spaces and takes each value from
its position, for lines whose keys it has verified to be those of a known layout (it hands
the values over as plain columns, :func:`value_column`, and the expressions are rewritten
to read them).
"""

from __future__ import annotations

import re

from mamoru.seccloud.engine.formats.base import SqlFormat, unmapped_json

__all__ = ["FORTIGATE", "FORTIGATE_KEYS", "fortigate_from_values", "value_column"]

# Every key the columns read (the layout path extracts exactly these).
FORTIGATE_KEYS = (
    "date", "time", "tz", "eventtime", "logid", "type", "subtype", "eventtype", "level",
    "severity", "devname", "devid", "srcip", "srcport", "dstip", "dstport", "proto", "action",
    "policyid", "service", "sentbyte", "rcvdbyte", "sentpkt", "rcvdpkt", "app", "appcat",
    "catdesc", "attack", "attackid", "virus", "virusid", "fsaverdict", "hostname", "url",
    "from", "sender", "to", "recipient", "filename", "fname", "filehash", "analyticscksum",
    "subject", "msg",
)  # fmt: skip


def _v(key: str) -> str:
    return f'v."{key}"'


_KIND = f"""CASE
  WHEN typ = 'traffic' THEN 'traffic'
  WHEN typ = 'utm' AND sub IN ('ips', 'anomaly') THEN 'ips'
  WHEN typ = 'utm' AND sub = 'virus' AND ({_v("eventtype")} IN ('analytics', 'fortisandbox')
       OR {_v("fsaverdict")} IS NOT NULL) THEN 'sandbox'
  WHEN typ = 'utm' AND sub = 'virus' THEN 'virus'
  WHEN typ = 'utm' AND sub = 'webfilter' THEN 'webfilter'
  WHEN typ = 'utm' AND sub IN ('emailfilter', 'spam') THEN 'spam'
  WHEN typ = 'utm' AND sub = 'app-ctrl' THEN 'traffic'
  WHEN typ IN ('event', 'utm') THEN 'event' END"""

_CLASS = """CASE kind WHEN 'traffic' THEN 4001 WHEN 'event' THEN 4001 WHEN 'webfilter' THEN 4002
  WHEN 'spam' THEN 4009 WHEN 'ips' THEN 2004 WHEN 'virus' THEN 2004 WHEN 'sandbox' THEN 2004 END"""

# eventtime's unit follows from its number of digits.
_EVENTTIME = f"""CASE length({_v("eventtime")})
  WHEN 19 THEN make_timestamptz(TRY_CAST({_v("eventtime")} AS BIGINT) // 1000)
  WHEN 16 THEN make_timestamptz(TRY_CAST({_v("eventtime")} AS BIGINT))
  WHEN 13 THEN make_timestamptz(TRY_CAST({_v("eventtime")} AS BIGINT) * 1000)
  WHEN 10 THEN make_timestamptz(TRY_CAST({_v("eventtime")} AS BIGINT) * 1000000) END"""

_LOCAL_TIME = f"""CASE WHEN regexp_full_match(coalesce({_v("tz")}, ''), '[+-]\\d{{4}}')
  THEN try_strptime({_v("date")} || ' ' || {_v("time")} || ' ' || {_v("tz")}, '%Y-%m-%d %H:%M:%S %z')
  ELSE local_to_utc(try_strptime({_v("date")} || ' ' || {_v("time")}, '%Y-%m-%d %H:%M:%S'))
  END"""

_SEVERITY = f"""CASE kind
  WHEN 'ips' THEN {_v("severity")}
  WHEN 'sandbox' THEN coalesce({_v("fsaverdict")}, 'suspicious')
  WHEN 'virus' THEN 'infected'
  WHEN 'webfilter' THEN {_v("catdesc")}
  ELSE {_v("level")} END"""

# Shared by both paths: everything after ``v``.
_HELPERS = {
    "typ": _v("type"),
    "sub": _v("subtype"),
    "act": _v("action"),
    "kind": _KIND,
    "sevword": _SEVERITY,
}

_UNMAPPED = unmapped_json(
    {
        "logid": _v("logid"),
        "subtype": "sub",
        "devid": _v("devid"),
        "policyid": _v("policyid"),
        "service": _v("service"),
        "subject": _v("subject"),
        "msg": _v("msg"),
    }
)

# Both directions of the bytes: FortiOS counts from the session's originator.
_COLUMNS = {
    "time": f"coalesce({_EVENTTIME}, {_LOCAL_TIME})",
    "class_uid": _CLASS,
    "metadata_log_name": "kind",
    "metadata_product_name": "'FortiGate'",
    "severity": "sevword",
    "severity_id": "coalesce(sev_id(sevword), 1)",
    "action": "act",
    "action_id": "coalesce(action_of(act), CASE WHEN kind IN ('virus', 'sandbox') THEN 2 ELSE 0 END)",
    "src_endpoint_ip": _v("srcip"),
    "src_endpoint_port": _v("srcport"),
    "dst_endpoint_ip": _v("dstip"),
    "dst_endpoint_port": _v("dstport"),
    "connection_info_protocol_num": _v("proto"),
    "traffic_bytes_out": _v("sentbyte"),
    "traffic_bytes_in": _v("rcvdbyte"),
    "traffic_packets_out": _v("sentpkt"),
    "traffic_packets_in": _v("rcvdpkt"),
    "app_name": f"coalesce({_v('app')}, {_v('service')})",
    "category_name": f"coalesce({_v('catdesc')}, {_v('appcat')})",
    "finding_uid": f"coalesce({_v('attackid')}, {_v('virusid')})",
    "finding_title": f"coalesce({_v('attack')}, {_v('virus')})",
    "url_hostname": f"lower({_v('hostname')})",
    "url_path": _v("url"),
    "email_from": f"coalesce({_v('from')}, {_v('sender')})",
    "email_to": f"coalesce({_v('to')}, {_v('recipient')})",
    "file_name": f"coalesce({_v('filename')}, {_v('fname')})",
    "file_hash_sha256": f"lower(coalesce({_v('filehash')}, {_v('analyticscksum')}))",
    "device_name": _v("devname"),
    # A firewall session's only untyped field worth a JSON object per row is its policy (the
    # rest is in the raw archive); building JSON for every session costs 12 % of the ingest.
    "unmapped": f"""CASE WHEN kind = 'traffic'
        THEN '{{"policyid":' || TRY_CAST({_v("policyid")} AS INTEGER)::VARCHAR || '}}'
        ELSE {_UNMAPPED} END""",
}

_REASON = """CASE WHEN time IS NULL THEN 'no timestamp (date/time or eventtime)'
                   WHEN class_uid IS NULL THEN 'unknown FortiGate log type' END"""

_DETECT = "(starts_with(msg, 'date=') OR contains(msg, ' logid=')) AND contains(msg, ' type=')"


def _regex_values() -> str:
    """One regular expression per key over ``msg``: quoted ("…") or bare values.

    Each expression walks the line token by token from its start, so a key is only found
    where a token begins — never inside a quoted value (``msg="… srcip=6.6.6.6"`` cannot
    pose as the session's source).
    """
    walk = '^(?:[^ "=]+=(?:"[^"]*"|[^ "]*) +)*?'
    fields = ", ".join(
        f'"{key}" := regexp_extract(msg, \'{walk}{key}=("[^"]*"|[^ ]*)\', 1)'
        for key in FORTIGATE_KEYS
    )
    return f"struct_pack({fields})"


def _unquoted() -> str:
    fields = ", ".join(
        f'"{key}" := CASE WHEN r."{key}" = \'\' THEN NULL WHEN starts_with(r."{key}", \'"\') '
        f'THEN r."{key}"[2:-2] ELSE r."{key}" END'
        for key in FORTIGATE_KEYS
    )
    return f"struct_pack({fields})"


FORTIGATE = SqlFormat(
    name="fortigate",
    detect=_DETECT,
    helpers={"r": _regex_values(), "v": _unquoted(), **_HELPERS},
    columns=_COLUMNS,
    reason=_REASON,
)


_FIELD = re.compile(r'v\."([A-Za-z0-9_.\-]+)"')


def value_column(key: str) -> str:
    """The layout path's column for the value of ``key`` (quoted SQL identifier)."""
    return f'"v_{key}"'


def _flat(expr: str) -> str:
    return _FIELD.sub(lambda m: value_column(m.group(1)), expr)


def fortigate_from_values() -> SqlFormat:
    """The same format over a source with one column per key (:func:`value_column`).

    The layout path hands its values over as plain columns: packing them into the struct
    ``v`` and taking them out again cost ≈ 2 % of the ingest (bench/README.md).
    """
    return SqlFormat(
        name="fortigate",
        detect="TRUE",
        helpers={name: _flat(expr) for name, expr in _HELPERS.items()},
        columns={name: _flat(expr) for name, expr in _COLUMNS.items()},
        reason=_REASON,
    )
