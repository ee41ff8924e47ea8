"""FortiGate (FortiOS) syslog in key=value form: traffic and the utm and event types.

Written from Fortinet's FortiOS Log Message Reference: a line is ``key=value`` pairs
separated by spaces, string values in double quotes; ``type``/``subtype`` name the log
(traffic/forward, utm/ips, utm/virus, utm/webfilter, utm/emailfilter, event/system …);
``eventtime`` is the epoch in s, ms, µs or ns depending on the FortiOS version, ``date``
and ``time`` the local time with ``tz``. Sandbox verdicts arrive as utm/virus with an
``eventtype`` of ``analytics`` or ``fortisandbox`` and ``fsaverdict``.
"""

from __future__ import annotations

from mamoru.seccloud.engine.formats.base import SqlFormat

__all__ = ["FORTIGATE"]

_KIND = """CASE
  WHEN typ = 'traffic' THEN 'traffic'
  WHEN typ = 'utm' AND sub IN ('ips', 'anomaly') THEN 'ips'
  WHEN typ = 'utm' AND sub = 'virus' AND (kv(msg, 'eventtype') IN ('analytics', 'fortisandbox')
       OR kv(msg, 'fsaverdict') IS NOT NULL) THEN 'sandbox'
  WHEN typ = 'utm' AND sub = 'virus' THEN 'virus'
  WHEN typ = 'utm' AND sub = 'webfilter' THEN 'webfilter'
  WHEN typ = 'utm' AND sub IN ('emailfilter', 'spam') THEN 'spam'
  WHEN typ = 'utm' AND sub = 'app-ctrl' THEN 'traffic'
  WHEN typ IN ('event', 'utm') THEN 'event' END"""

_CLASS = """CASE kind WHEN 'traffic' THEN 4001 WHEN 'event' THEN 4001 WHEN 'webfilter' THEN 4002
  WHEN 'spam' THEN 4009 WHEN 'ips' THEN 2004 WHEN 'virus' THEN 2004 WHEN 'sandbox' THEN 2004 END"""

# eventtime's unit follows from its number of digits.
_EVENTTIME = """CASE length(et)
  WHEN 19 THEN make_timestamptz(TRY_CAST(et AS BIGINT) // 1000)
  WHEN 16 THEN make_timestamptz(TRY_CAST(et AS BIGINT))
  WHEN 13 THEN make_timestamptz(TRY_CAST(et AS BIGINT) * 1000)
  WHEN 10 THEN make_timestamptz(TRY_CAST(et AS BIGINT) * 1000000) END"""

_LOCAL_TIME = """CASE WHEN regexp_full_match(coalesce(kv(msg, 'tz'), ''), '[+-]\\d{4}')
  THEN try_strptime(dt || ' ' || kv(msg, 'time') || ' ' || kv(msg, 'tz'),
                    '%Y-%m-%d %H:%M:%S %z')
  ELSE local_to_utc(try_strptime(dt || ' ' || kv(msg, 'time'), '%Y-%m-%d %H:%M:%S'))
  END"""

_SEVERITY = """CASE kind
  WHEN 'ips' THEN kv(msg, 'severity')
  WHEN 'sandbox' THEN coalesce(kv(msg, 'fsaverdict'), 'suspicious')
  WHEN 'virus' THEN 'infected'
  WHEN 'webfilter' THEN kv(msg, 'catdesc')
  ELSE kv(msg, 'level') END"""

# Both directions of the bytes: FortiOS counts from the session's originator.
FORTIGATE = SqlFormat(
    name="fortigate",
    detect="(starts_with(msg, 'date=') OR contains(msg, ' logid=')) AND contains(msg, ' type=')",
    helpers={
        "typ": "kv(msg, 'type')",
        "sub": "kv(msg, 'subtype')",
        "et": "kv(msg, 'eventtime')",
        # date= usually opens the line, where kv()'s leading space is missing.
        "dt": "CASE WHEN starts_with(msg, 'date=') THEN kv_after(substr(msg, 6)) ELSE kv(msg, 'date') END",
        "act": "kv(msg, 'action')",
        "kind": _KIND,
    },
    columns={
        "time": f"coalesce({_EVENTTIME}, {_LOCAL_TIME})",
        "class_uid": _CLASS,
        "metadata_log_name": "kind",
        "metadata_product_name": "'FortiGate'",
        "severity": _SEVERITY,
        "severity_id": f"coalesce(sev_id({_SEVERITY}), 1)",
        "action": "act",
        "action_id": "coalesce(action_of(act), CASE WHEN kind IN ('virus', 'sandbox') THEN 2 ELSE 0 END)",
        "src_endpoint_ip": "ip4(kv(msg, 'srcip'))",
        "src_endpoint_port": "kv(msg, 'srcport')",
        "dst_endpoint_ip": "ip4(kv(msg, 'dstip'))",
        "dst_endpoint_port": "kv(msg, 'dstport')",
        "connection_info_protocol_num": "kv(msg, 'proto')",
        "traffic_bytes_out": "kv(msg, 'sentbyte')",
        "traffic_bytes_in": "kv(msg, 'rcvdbyte')",
        "traffic_packets_out": "kv(msg, 'sentpkt')",
        "traffic_packets_in": "kv(msg, 'rcvdpkt')",
        "app_name": "coalesce(kv(msg, 'app'), kv(msg, 'service'))",
        "category_name": "coalesce(kv(msg, 'catdesc'), kv(msg, 'appcat'))",
        "finding_uid": "coalesce(kv(msg, 'attackid'), kv(msg, 'virusid'))",
        "finding_title": "coalesce(kv(msg, 'attack'), kv(msg, 'virus'))",
        "url_hostname": "lower(kv(msg, 'hostname'))",
        "url_path": "kv(msg, 'url')",
        "email_from": "coalesce(kv(msg, 'from'), kv(msg, 'sender'))",
        "email_to": "coalesce(kv(msg, 'to'), kv(msg, 'recipient'))",
        "file_name": "coalesce(kv(msg, 'filename'), kv(msg, 'fname'))",
        "file_hash_sha256": "lower(coalesce(kv(msg, 'filehash'), kv(msg, 'analyticscksum')))",
        "device_name": "kv(msg, 'devname')",
        "unmapped": """map_from_entries(list_filter([
            ('logid', kv(msg, 'logid')), ('subtype', sub), ('devid', kv(msg, 'devid')),
            ('policyid', kv(msg, 'policyid')), ('service', kv(msg, 'service')),
            ('subject', kv(msg, 'subject')), ('msg', kv(msg, 'msg'))],
            lambda e: e[2] IS NOT NULL))""",
    },
    reason="""CASE WHEN time IS NULL THEN 'no timestamp (date/time or eventtime)'
                   WHEN class_uid IS NULL THEN 'unknown FortiGate log type' END""",
)
