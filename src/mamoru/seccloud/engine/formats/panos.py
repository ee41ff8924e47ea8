"""Palo Alto Networks PAN-OS syslog CSV: TRAFFIC and THREAT (url, virus, wildfire, spyware …).

Written from Palo Alto's "Syslog Field Descriptions" per PAN-OS release. The leading fields
have kept their positions since PAN-OS 8; each release appends fields, so a field is found
by its name in the release's list (:data:`FIELDS`), and a record shorter than the fields the
parser reads is quarantined as truncated.
"""

from __future__ import annotations

from mamoru.seccloud.engine.formats.base import SqlFormat, unmapped_json

__all__ = ["DEFAULT_VERSION", "FIELDS", "PANOS", "panos_format"]

_COMMON = (
    "future_use_1", "receive_time", "serial", "type", "subtype", "future_use_2",
    "generated_time", "src", "dst", "natsrc", "natdst", "rule", "srcuser", "dstuser", "app",
    "vsys", "from", "to", "inbound_if", "outbound_if", "log_action", "future_use_3",
    "sessionid", "repeatcnt", "sport", "dport", "natsport", "natdport", "flags", "proto",
    "action",
)  # fmt: skip
_TRAFFIC_8 = (
    *_COMMON,
    "bytes", "bytes_sent", "bytes_received", "packets", "start", "elapsed", "category",
    "future_use_4", "seqno", "actionflags", "srcloc", "dstloc", "future_use_5", "pkts_sent",
    "pkts_received", "session_end_reason",
)  # fmt: skip
_TRAFFIC_9 = (
    *_TRAFFIC_8,
    "dg_hier_level_1", "dg_hier_level_2", "dg_hier_level_3", "dg_hier_level_4", "vsys_name",
    "device_name", "action_source", "src_uuid", "dst_uuid", "tunnelid", "monitortag",
    "parent_session_id", "parent_start_time", "tunnel", "assoc_id", "chunks", "chunks_sent",
    "chunks_received", "rule_uuid", "http2_connection",
)  # fmt: skip
_TRAFFIC_10 = (
    *_TRAFFIC_9,
    "link_change_count", "policy_id", "link_switches", "sdwan_cluster", "sdwan_device_type",
    "sdwan_cluster_type", "sdwan_site", "dynusergroup_name", "xff_ip", "src_category",
    "src_profile", "src_model", "src_vendor", "src_osfamily", "src_osversion", "src_host",
    "src_mac", "dst_category", "dst_profile", "dst_model", "dst_vendor", "dst_osfamily",
    "dst_osversion", "dst_host", "dst_mac", "container_id", "pod_namespace", "pod_name",
    "src_edl", "dst_edl", "hostid", "serialnumber", "src_dag", "dst_dag", "session_owner",
    "high_res_timestamp", "nssai_sst", "nssai_sd",
)  # fmt: skip
_THREAT_8 = (
    *_COMMON,
    "misc", "threatid", "category", "severity", "direction", "seqno", "actionflags", "srcloc",
    "dstloc", "future_use_4", "contenttype", "pcap_id", "filedigest", "cloud", "url_idx",
    "user_agent", "filetype", "xff", "referer", "sender", "subject", "recipient", "reportid",
)  # fmt: skip
_THREAT_9 = (
    *_THREAT_8,
    "dg_hier_level_1", "dg_hier_level_2", "dg_hier_level_3", "dg_hier_level_4", "vsys_name",
    "device_name", "future_use_5", "src_uuid", "dst_uuid", "http_method", "tunnel_id",
    "monitortag", "parent_session_id", "parent_start_time", "tunnel", "thr_category",
    "contentver", "future_use_6", "assoc_id", "ppid", "http_headers", "url_category_list",
    "rule_uuid", "http2_connection", "dynusergroup_name",
)  # fmt: skip
_THREAT_10 = (
    *_THREAT_9,
    "xff_ip", "src_category", "src_profile", "src_model", "src_vendor", "src_osfamily",
    "src_osversion", "src_host", "src_mac", "dst_category", "dst_profile", "dst_model",
    "dst_vendor", "dst_osfamily", "dst_osversion", "dst_host", "dst_mac", "container_id",
    "pod_namespace", "pod_name", "src_edl", "dst_edl", "hostid", "serialnumber", "domain_edl",
    "src_dag", "dst_dag", "partial_hash", "high_res_timestamp", "reason", "justification",
    "nssai_sst",
)  # fmt: skip

FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "8.1": {"TRAFFIC": _TRAFFIC_8, "THREAT": _THREAT_8},
    "9.1": {"TRAFFIC": _TRAFFIC_9, "THREAT": _THREAT_9},
    "10.1": {"TRAFFIC": _TRAFFIC_10, "THREAT": _THREAT_10},
    "11.1": {"TRAFFIC": _TRAFFIC_10, "THREAT": _THREAT_10},
}
DEFAULT_VERSION = "10.1"


def _field(version: str, log_type: str, name: str) -> str:
    """SQL for one field by name: ``f[i]`` with its 1-based position in that release."""
    return f"nn(f[{FIELDS[version][log_type].index(name) + 1}])"


def panos_format(version: str = DEFAULT_VERSION) -> SqlFormat:
    """The parser for one PAN-OS release's field lists."""
    if version not in FIELDS:
        raise ValueError(f"PAN-OS {version}: known releases are {sorted(FIELDS)}")

    def tr(name: str) -> str:
        return _field(version, "TRAFFIC", name)

    def th(name: str) -> str:
        return _field(version, "THREAT", name)

    # Both lists share the positions of _COMMON, so either works for those fields. Fields
    # past these may be missing (a list index past the end is NULL in DuckDB).
    need_traffic = _TRAFFIC_8.index("category") + 1
    need_threat = _THREAT_8.index("direction") + 1
    needed = f"CASE typ WHEN 'TRAFFIC' THEN {need_traffic} ELSE {need_threat} END"
    kind = """CASE WHEN typ = 'TRAFFIC' THEN 'traffic'
      WHEN sub = 'url' THEN 'webfilter'
      WHEN sub IN ('wildfire') THEN 'sandbox'
      WHEN sub IN ('virus', 'wildfire-virus') THEN 'virus'
      WHEN sub IN ('spyware', 'vulnerability', 'scan', 'flood', 'packet') THEN 'ips'
      ELSE 'event' END"""
    threat = f"CASE WHEN typ = 'THREAT' THEN {th('threatid')} END"
    return SqlFormat(
        name="panos",
        detect="regexp_matches(msg, '^[^,]*,\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d,[^,]*,(TRAFFIC|THREAT),')",
        helpers={
            "f": "csv_fields(msg)",
            "typ": "f[4]",
            "sub": "f[5]",
            "kind": kind,
        },
        columns={
            "time": f"local_to_utc(try_strptime({tr('generated_time')}, '%Y/%m/%d %H:%M:%S'))",
            "class_uid": "CASE kind WHEN 'traffic' THEN 4001 WHEN 'webfilter' THEN 4002 WHEN 'event' THEN 4001 ELSE 2004 END",
            "metadata_log_name": "kind",
            "metadata_product_name": "'PAN-OS'",
            "severity": f"CASE WHEN typ = 'THREAT' THEN CASE WHEN kind = 'sandbox' THEN {th('category')} ELSE {th('severity')} END END",
            "severity_id": f"coalesce(sev_id(CASE WHEN typ = 'THREAT' THEN {th('severity')} END), 1)",
            "action": tr("action"),
            "action_id": f"coalesce(action_of({tr('action')}), 0)",
            "src_endpoint_ip": tr("src"),
            "src_endpoint_port": tr("sport"),
            "dst_endpoint_ip": tr("dst"),
            "dst_endpoint_port": tr("dport"),
            "connection_info_protocol_num": f"proto_num({tr('proto')})",
            "traffic_bytes_out": f"CASE WHEN typ = 'TRAFFIC' THEN {tr('bytes_sent')} END",
            "traffic_bytes_in": f"CASE WHEN typ = 'TRAFFIC' THEN {tr('bytes_received')} END",
            "traffic_packets_out": f"CASE WHEN typ = 'TRAFFIC' THEN {tr('pkts_sent')} END",
            "traffic_packets_in": f"CASE WHEN typ = 'TRAFFIC' THEN {tr('pkts_received')} END",
            "app_name": tr("app"),
            "category_name": f"CASE WHEN typ = 'TRAFFIC' THEN {tr('category')} ELSE {th('category')} END",
            "finding_uid": f"nullif(regexp_extract({threat}, '\\((\\d+)\\)\\s*$', 1), '')",
            "finding_title": f"trim(regexp_replace({threat}, '\\(\\d+\\)\\s*$', ''))",
            "url_hostname": f"CASE WHEN sub = 'url' THEN url_host({th('misc')}) END",
            "url_path": f"CASE WHEN sub = 'url' THEN url_path({th('misc')}) END",
            "email_from": f"CASE WHEN typ = 'THREAT' THEN {th('sender')} END",
            "email_to": f"CASE WHEN typ = 'THREAT' THEN {th('recipient')} END",
            "file_name": f"CASE WHEN typ = 'THREAT' AND sub <> 'url' THEN {th('misc')} END",
            "file_hash_sha256": f"CASE WHEN typ = 'THREAT' THEN lower({th('filedigest')}) END",
            "device_name": f"CASE WHEN len(f) >= {len(_TRAFFIC_9)} THEN {tr('device_name')} END",
            "unmapped": unmapped_json(
                {
                    "serial": tr("serial"),
                    "subtype": "sub",
                    "rule": tr("rule"),
                    "srcuser": tr("srcuser"),
                }
            ),
        },
        reason=f"""CASE WHEN len(f) < {needed} THEN 'truncated PAN-OS record ('
                        || len(f) || ' of at least ' || ({needed}) || ' fields)'
                       WHEN time IS NULL THEN 'no timestamp (generated time)' END""",
    )


PANOS = panos_format()
