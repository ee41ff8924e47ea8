"""ArcSight CEF and IBM QRadar LEEF, as Check Point, Trend Micro, FortiGate and m-FILTER send them.

Written from the public specifications (ArcSight "Implementing ArcSight Common Event
Format", IBM "Log Event Extended Format" 1.0/2.0). CEF: ``CEF:Version|Vendor|Product|
Version|Signature ID|Name|Severity|Extension`` with ``key=value`` extensions whose values
run to the next key (``\\=`` escapes). LEEF: ``LEEF:1.0|Vendor|Product|Version|EventID|``
then tab-separated attributes; LEEF 2.0 adds a delimiter field (a character or ``xHH``).

What the event is (firewall, IPS, antivirus, sandbox, URL filter, spam) follows from the
product, name and ``cat`` words, which every vendor fills differently.
"""

from __future__ import annotations

from mamoru.seccloud.engine.formats.base import SqlFormat, unmapped_json

__all__ = ["CEF", "LEEF", "kind_from_words"]

_CEF_HEADER = r"^CEF:\s*(\d+)\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|(.*)$"


def kind_from_words(words: str) -> str:
    """SQL: the log kind from a lower-cased text of product, event name and category."""
    return f"""CASE
      WHEN regexp_matches({words}, 'sandbox|emulation|wildfire|ddan|analyzer|suspicious file|behavio') THEN 'sandbox'
      WHEN regexp_matches({words}, 'virus|malware|antivir|anti-bot|infected') THEN 'virus'
      WHEN regexp_matches({words}, 'spam') THEN 'spam'
      WHEN regexp_matches({words}, 'ips|intrusion|attack|exploit|smartdefense|vulnerab|scan|ids\\b|signature') THEN 'ips'
      WHEN regexp_matches({words}, 'url|web ?filter|webfilter|proxy|http') THEN 'webfilter'
      WHEN regexp_matches({words}, 'mail|smtp') THEN 'mail'
      ELSE 'traffic' END"""


_CLASS = """CASE kind WHEN 'traffic' THEN 4001 WHEN 'webfilter' THEN 4002 WHEN 'spam' THEN 4009
  WHEN 'mail' THEN 4009 ELSE 2004 END"""

# CEF severity is 0–10 (or Low/Medium/High/Very-High); LEEF sev is 1–10.
_NUMERIC_SEVERITY = """CASE
  WHEN TRY_CAST({s} AS INTEGER) IS NULL THEN sev_id(replace({s}, 'Very-High', 'critical'))
  WHEN TRY_CAST({s} AS INTEGER) >= 9 THEN 5 WHEN TRY_CAST({s} AS INTEGER) >= 7 THEN 4
  WHEN TRY_CAST({s} AS INTEGER) >= 4 THEN 3 WHEN TRY_CAST({s} AS INTEGER) >= 1 THEN 2 ELSE 1 END"""

# rt/devTime: epoch milliseconds or "MMM dd yyyy HH:mm:ss" in local time.
_TIME = """CASE WHEN regexp_full_match({t}, '\\d{{13}}') THEN make_timestamptz(TRY_CAST({t} AS BIGINT) * 1000)
  WHEN regexp_full_match({t}, '\\d{{10}}') THEN make_timestamptz(TRY_CAST({t} AS BIGINT) * 1000000)
  ELSE coalesce(try_strptime({t}, '%Y-%m-%dT%H:%M:%S%z'), local_to_utc(try_strptime({t},
       ['%b %d %Y %H:%M:%S', '%b %d %H:%M:%S %Y', '%Y-%m-%d %H:%M:%S', '%Y/%m/%d %H:%M:%S']))) END"""

CEF = SqlFormat(
    name="cef",
    detect="starts_with(msg, 'CEF:')",
    helpers={
        "h": f"regexp_extract(msg, '{_CEF_HEADER}', "
        "['ver', 'vendor', 'product', 'version', 'sig', 'name', 'sev', 'ext'])",
        "ext": "h.ext",
        "kind": kind_from_words(
            "lower(concat_ws(' ', h.product, h.name, cef_kv(h.ext, 'cat'), cef_kv(h.ext, 'deviceEventCategory')))"
        ),
        "act": "coalesce(cef_kv(ext, 'act'), cef_kv(ext, 'outcome'))",
    },
    columns={
        "time": _TIME.format(
            t="coalesce(cef_kv(ext, 'rt'), cef_kv(ext, 'end'), cef_kv(ext, 'start'))"
        ),
        "class_uid": _CLASS,
        "metadata_log_name": "kind",
        "metadata_product_name": "concat_ws(' ', h.vendor, h.product)",
        "severity": "h.sev",
        "severity_id": _NUMERIC_SEVERITY.format(s="h.sev"),
        "action": "act",
        "action_id": "coalesce(action_of(act), 0)",
        "src_endpoint_ip": "cef_kv(ext, 'src')",
        "src_endpoint_port": "cef_kv(ext, 'spt')",
        "dst_endpoint_ip": "cef_kv(ext, 'dst')",
        "dst_endpoint_port": "cef_kv(ext, 'dpt')",
        "connection_info_protocol_num": "proto_num(cef_kv(ext, 'proto'))",
        "traffic_bytes_in": "cef_kv(ext, 'in')",
        "traffic_bytes_out": "cef_kv(ext, 'out')",
        "app_name": "coalesce(cef_kv(ext, 'app'), cef_kv(ext, 'requestClientApplication'))",
        "category_name": "cef_kv(ext, 'cat')",
        "finding_uid": "nullif(h.sig, '')",
        "finding_title": "nullif(h.name, '')",
        "url_hostname": "coalesce(url_host(cef_kv(ext, 'request')), lower(cef_kv(ext, 'dhost')))",
        "url_path": "url_path(cef_kv(ext, 'request'))",
        "email_from": "CASE WHEN kind IN ('spam', 'mail', 'virus') THEN cef_kv(ext, 'suser') END",
        "email_to": "CASE WHEN kind IN ('spam', 'mail', 'virus') THEN cef_kv(ext, 'duser') END",
        "file_name": "cef_kv(ext, 'fname')",
        "file_hash_sha256": "lower(cef_kv(ext, 'fileHash'))",
        "device_name": "coalesce(cef_kv(ext, 'dvchost'), cef_kv(ext, 'deviceExternalId'))",
        "unmapped": unmapped_json(
            {
                "vendor": "h.vendor",
                "product": "h.product",
                "msg": "cef_kv(ext, 'msg')",
                "suser": "cef_kv(ext, 'suser')",
                "duser": "cef_kv(ext, 'duser')",
                "cs1": "cef_kv(ext, 'cs1')",
                "cs1Label": "cef_kv(ext, 'cs1Label')",
            }
        ),
    },
    reason="""CASE WHEN h.ver = '' THEN 'malformed CEF header'
                   WHEN time IS NULL THEN 'no timestamp (rt, end or start)' END""",
)

_LEEF_HEADER = r"^LEEF:\s*(1\.0|2\.0)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|(.*)$"
# LEEF 2.0's delimiter: one character or xHH / 0xHH; LEEF 1.0 uses a tab.
_LEEF_ATTRS = """CASE WHEN h.ver = '2.0' AND regexp_matches(h.rest, '^(?:0?x[0-9A-Fa-f]{2}|[^|=]{1})\\|')
  THEN replace(regexp_replace(h.rest, '^[^|]*\\|', ''),
       CASE WHEN regexp_matches(h.rest, '^0?x[0-9A-Fa-f]{2}\\|')
            THEN chr(TRY_CAST(('0x' || regexp_extract(h.rest, '^0?x([0-9A-Fa-f]{2})', 1)) AS INTEGER))
            ELSE split_part(h.rest, '|', 1) END, chr(9))
  ELSE h.rest END"""


def _leef(key: str) -> str:
    return f"nullif(regexp_extract(attrs, '(?:^|\\t){key}=([^\\t]*)', 1), '')"


LEEF = SqlFormat(
    name="leef",
    detect="starts_with(msg, 'LEEF:')",
    helpers={
        "h": f"regexp_extract(msg, '{_LEEF_HEADER}', ['ver', 'vendor', 'product', 'version', 'event', 'rest'])",
        "attrs": _LEEF_ATTRS,
        "kind": kind_from_words(f"lower(concat_ws(' ', h.product, h.event, {_leef('cat')}))"),
        "act": f"coalesce({_leef('action')}, {_leef('act')})",
    },
    columns={
        "time": _TIME.format(t=_leef("devTime")),
        "class_uid": _CLASS,
        "metadata_log_name": "kind",
        "metadata_product_name": "concat_ws(' ', h.vendor, h.product)",
        "severity": _leef("sev"),
        "severity_id": _NUMERIC_SEVERITY.format(s=_leef("sev")),
        "action": "act",
        "action_id": "coalesce(action_of(act), 0)",
        "src_endpoint_ip": _leef("src"),
        "src_endpoint_port": _leef("srcPort"),
        "dst_endpoint_ip": _leef("dst"),
        "dst_endpoint_port": _leef("dstPort"),
        "connection_info_protocol_num": f"proto_num({_leef('proto')})",
        "traffic_bytes_out": _leef("srcBytes"),
        "traffic_bytes_in": _leef("dstBytes"),
        "traffic_packets_out": _leef("srcPackets"),
        "traffic_packets_in": _leef("dstPackets"),
        "category_name": _leef("cat"),
        "finding_uid": "nullif(h.event, '')",
        "finding_title": _leef("name"),
        "url_hostname": f"url_host({_leef('url')})",
        "url_path": f"url_path({_leef('url')})",
        "email_from": f"coalesce({_leef('sender')}, CASE WHEN kind IN ('spam', 'mail') THEN {_leef('usrName')} END)",
        "email_to": _leef("recipient"),
        "file_name": _leef("fileName"),
        "file_hash_sha256": f"lower({_leef('fileHash')})",
        "device_name": _leef("identHostName"),
        "unmapped": unmapped_json(
            {"vendor": "h.vendor", "product": "h.product", "usrName": _leef("usrName")}
        ),
    },
    reason="CASE WHEN h.ver = '' THEN 'malformed LEEF header' WHEN time IS NULL THEN 'no timestamp (devTime)' END",
)
