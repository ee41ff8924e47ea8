"""Squid's native access.log, from Squid's LogFormat documentation.

``time elapsed remotehost code/status bytes method URL rfc931 peerstatus/peerhost type``:
``time`` is the epoch with milliseconds, ``code`` Squid's result code (``TCP_DENIED`` when
an ACL refused the request).
"""

from __future__ import annotations

from mamoru.seccloud.engine.formats.base import SqlFormat, unmapped_json

__all__ = ["SQUID"]

SQUID = SqlFormat(
    name="squid",
    detect="regexp_matches(msg, '^\\d{9,10}\\.\\d{3} +\\d+ \\S+ [A-Z_]+/\\d{3} \\d+ ')",
    helpers={
        "f": "string_split_regex(trim(msg), '\\s+')",
        "code": "split_part(f[4], '/', 1)",
        "u": "CASE WHEN f[6] = 'CONNECT' THEN 'https://' || f[7] ELSE f[7] END",
    },
    columns={
        "time": "make_timestamptz(TRY_CAST(replace(f[1], '.', '') AS BIGINT) * 1000)",
        "class_uid": "4002",
        "metadata_log_name": "CASE WHEN code = 'TCP_DENIED' THEN 'webfilter' ELSE 'web' END",
        "metadata_product_name": "'Squid'",
        "action": "code",
        "action_id": "CASE WHEN code LIKE '%DENIED%' THEN 2 ELSE 1 END",
        "severity_id": "1",
        "src_endpoint_ip": "f[3]",
        "dst_endpoint_ip": "nn(split_part(f[9], '/', 2))",
        "traffic_bytes_in": "f[5]",
        "category_name": "nn(f[10])",
        "url_hostname": "url_host(u)",
        "url_path": "url_path(u)",
        "unmapped": unmapped_json(
            {
                "method": "f[6]",
                "status": "split_part(f[4], '/', 2)",
                "user": "nn(f[8])",
                "elapsed_ms": "f[2]",
            }
        ),
    },
    reason="CASE WHEN time IS NULL THEN 'no timestamp' WHEN len(f) < 10 THEN 'truncated access.log line' END",
)
