"""Suricata EVE JSON (one JSON object per line), from Suricata's "EVE JSON Format" docs.

``event_type`` says what the record is: ``alert`` (IDS/IPS detection), ``flow``/``netflow``
(sessions), ``http``, ``smtp``, ``fileinfo``, ``dns``, ``tls``, ``anomaly`` …; alert severity
1 is the highest.
"""

from __future__ import annotations

from mamoru.seccloud.engine.formats.base import SqlFormat, unmapped_json

__all__ = ["SURICATA"]

_PATHS = (
    "timestamp", "event_type", "src_ip", "src_port", "dest_ip", "dest_port", "proto",
    "alert.action", "alert.signature_id", "alert.signature", "alert.category", "alert.severity",
    "http.hostname", "http.url", "app_proto", "flow.bytes_toserver", "flow.bytes_toclient",
    "flow.pkts_toserver", "flow.pkts_toclient", "fileinfo.filename", "fileinfo.sha256",
    "smtp.mail_from", "email.from", "host", "fileinfo.stored", "in_iface",
)  # fmt: skip
_INDEX = {path: i + 1 for i, path in enumerate(_PATHS)}


def _j(path: str) -> str:
    return f"j[{_INDEX[path]}]"


_KIND = f"""CASE {_j("event_type")}
  WHEN 'alert' THEN 'ips' WHEN 'flow' THEN 'traffic' WHEN 'netflow' THEN 'traffic'
  WHEN 'http' THEN 'web' WHEN 'smtp' THEN 'mail' WHEN 'anomaly' THEN 'ips'
  WHEN 'dns' THEN 'traffic' WHEN 'tls' THEN 'traffic' WHEN 'fileinfo' THEN 'event'
  ELSE 'event' END"""

SURICATA = SqlFormat(
    name="suricata",
    detect="starts_with(msg, '{') AND contains(msg, '\"event_type\"')",
    helpers={
        "j": "json_extract_string(msg, [" + ", ".join(f"'$.{p}'" for p in _PATHS) + "])",
        "kind": _KIND,
        "rcpt": "json_extract_string(msg, '$.smtp.rcpt_to[0]')",
    },
    columns={
        "time": f"try_strptime({_j('timestamp')}, ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z'])",
        "class_uid": "CASE kind WHEN 'ips' THEN 2004 WHEN 'web' THEN 4002 WHEN 'mail' THEN 4009 ELSE 4001 END",
        "metadata_log_name": "kind",
        "metadata_product_name": "'Suricata'",
        "severity": _j("alert.severity"),
        "severity_id": f"CASE {_j('alert.severity')} WHEN '1' THEN 4 WHEN '2' THEN 3 WHEN '3' THEN 2 WHEN '4' THEN 1 ELSE 1 END",
        "action": _j("alert.action"),
        "action_id": f"coalesce(action_of({_j('alert.action')}), CASE WHEN kind = 'ips' THEN 1 ELSE 0 END)",
        "src_endpoint_ip": _j("src_ip"),
        "src_endpoint_port": _j("src_port"),
        "dst_endpoint_ip": _j("dest_ip"),
        "dst_endpoint_port": _j("dest_port"),
        "connection_info_protocol_num": f"proto_num({_j('proto')})",
        "traffic_bytes_out": _j("flow.bytes_toserver"),
        "traffic_bytes_in": _j("flow.bytes_toclient"),
        "traffic_packets_out": _j("flow.pkts_toserver"),
        "traffic_packets_in": _j("flow.pkts_toclient"),
        "app_name": _j("app_proto"),
        "category_name": _j("alert.category"),
        "finding_uid": _j("alert.signature_id"),
        "finding_title": _j("alert.signature"),
        "url_hostname": f"lower({_j('http.hostname')})",
        "url_path": _j("http.url"),
        "email_from": f"trim(coalesce({_j('smtp.mail_from')}, {_j('email.from')}), '<>')",
        "email_to": "trim(rcpt, '<>')",
        "file_name": _j("fileinfo.filename"),
        "file_hash_sha256": f"lower({_j('fileinfo.sha256')})",
        "device_name": _j("host"),
        "unmapped": unmapped_json({"event_type": _j("event_type"), "in_iface": _j("in_iface")}),
    },
    reason="""CASE WHEN json_valid(msg) IS NOT TRUE THEN 'invalid JSON'
                   WHEN time IS NULL THEN 'no timestamp' END""",
)
