"""Digital Arts i-FILTER (web filter) and m-FILTER (mail filter) logs.

Written from Digital Arts' published log-format notes. i-FILTER Ver.10's default access
log is 35 space-separated columns (output time, pid, version, upstream proxy, server
address, peer and client address, computer, user, ``[access start]``, HTTP status, …,
result, filter reason, category, category list, …, ``"METHOD URL HTTP/x"``, …); its block
log is 17 columns (pid, client, user, group, …, time, URL, result, reason, category, …,
virus name). m-FILTER Ver.5's 通信ログ is CSV (saved time, received time, queue id, mail
id, size, action 0 送信/1 削除/2 保留/4 リレー/8 保留→送信/9 保留→削除, delay, group,
ruleset, rule, …, sender, recipients); its SMTP access log is CSV starting with the log
time, queue id, received time, group, sender address and mail addresses. Japanese text,
``/`` in content types and the like are URL-encoded UTF-8.
"""

from __future__ import annotations

from mamoru.seccloud.engine.formats.base import SqlFormat, unmapped_json

__all__ = ["IFILTER", "MFILTER"]

_ACCESS = (
    r"^([A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d) (\d+) (\d+/\d+/) (\S+) (\S+) (\S+) (\S+) (\S+) "
    r"(\S+) \[([^\]]+)\] (\d+) (\S+) (\d+) (\S+) (\S+) (\S+) (\S+) .*?\"(\S+) (\S+)[^\"]*\""
)
_ACCESS_NAMES = (
    "['logtime', 'pid', 'version', 'upstream', 'server', 'peer', 'client', 'computer', "
    "'usr', 'started', 'status', 'x', 'bytes', 'result', 'reason', 'category', 'categories', "
    "'method', 'url']"
)
_BLOCK = (
    r"^(\d+) (\S+) (\S+) (\S+) (\S+) (\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}) "
    r"(\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) ?(.*)$"
)
_BLOCK_NAMES = (
    "['pid', 'client', 'usr', 'grp', 'x', 'started', 'url', 'result', 'reason', 'category', "
    "'c11', 'c12', 'c13', 'c14', 'c15', 'virus']"
)

IFILTER = SqlFormat(
    name="ifilter",
    detect=f"regexp_matches(line, '{_ACCESS}') OR regexp_matches(msg, '{_BLOCK}')",
    helpers={
        "blk": f"regexp_matches(msg, '{_BLOCK}')",
        "a": f"regexp_extract(CASE WHEN regexp_matches(msg, '{_ACCESS}') THEN msg ELSE line END, '{_ACCESS}', {_ACCESS_NAMES})",
        "b": f"regexp_extract(msg, '{_BLOCK}', {_BLOCK_NAMES})",
        "result": "CASE WHEN blk THEN b.result ELSE a.result END",
        "u": "urldec(CASE WHEN blk THEN b.url ELSE a.url END)",
    },
    columns={
        "time": "try_strptime(CASE WHEN blk THEN b.started ELSE a.started END, '%d/%b/%Y:%H:%M:%S %z')",
        "class_uid": "CASE WHEN blk AND nn(b.virus) IS NOT NULL THEN 2004 ELSE 4002 END",
        "metadata_log_name": """CASE WHEN blk AND nn(b.virus) IS NOT NULL THEN 'virus'
            WHEN blk OR lower(result) = 'block' THEN 'webfilter' ELSE 'web' END""",
        "metadata_product_name": "'i-FILTER'",
        "severity": "CASE WHEN blk AND nn(b.virus) IS NOT NULL THEN 'infected' END",
        "severity_id": "CASE WHEN blk AND nn(b.virus) IS NOT NULL THEN 4 ELSE 1 END",
        "action": "result",
        "action_id": "coalesce(action_of(result), CASE WHEN blk THEN 2 ELSE 1 END)",
        "src_endpoint_ip": "CASE WHEN blk THEN b.client ELSE a.client END",
        "dst_endpoint_ip": "CASE WHEN NOT blk THEN split_part(a.server, ':', 1) END",
        "dst_endpoint_port": "CASE WHEN NOT blk THEN nullif(split_part(a.server, ':', 2), '') END",
        "traffic_bytes_in": "CASE WHEN NOT blk THEN a.bytes END",
        "category_name": "CASE WHEN blk THEN b.category ELSE a.category END",
        "finding_title": "CASE WHEN blk THEN nn(b.virus) END",
        "url_hostname": "url_host(u)",
        "url_path": "url_path(u)",
        "unmapped": unmapped_json(
            {
                "user": "nn(urldec(CASE WHEN blk THEN b.usr ELSE a.usr END))",
                "filter_reason": "CASE WHEN blk THEN b.reason ELSE a.reason END",
                "http_status": "CASE WHEN NOT blk THEN a.status END",
                "method": "CASE WHEN NOT blk THEN a.method END",
            }
        ),
    },
)

_TSUSHIN = r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d,\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d,"
_SMTP = r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d,\d+,\d{4}/\d{1,2}/\d{1,2} "
# 0 送信, 1 削除, 2 保留, 4 リレー, 8 保留→送信, 9 保留→削除
_MAIL_ACTION = "CASE f[6] WHEN '0' THEN 'send' WHEN '1' THEN 'delete' WHEN '2' THEN 'hold' WHEN '4' THEN 'relay' WHEN '8' THEN 'hold-send' WHEN '9' THEN 'hold-delete' END"
_RULE_WORDS = "lower(urldec(concat_ws(' ', f[9], f[10], f[11])))"

MFILTER = SqlFormat(
    name="mfilter",
    detect=f"regexp_matches(msg, '{_TSUSHIN}') OR regexp_matches(msg, '{_SMTP}')",
    helpers={
        "f": "csv_fields(msg)",
        "tsushin": f"regexp_matches(msg, '{_TSUSHIN}')",
        "verdict": f"""CASE WHEN NOT tsushin THEN 'mail'
            WHEN regexp_matches({_RULE_WORDS}, 'virus|ウイルス|malware|マルウェア') THEN 'virus'
            WHEN regexp_matches({_RULE_WORDS}, 'spam|スパム|迷惑') THEN 'spam'
            ELSE 'mail' END""",
    },
    columns={
        "time": """CASE WHEN tsushin THEN local_to_utc(try_strptime(f[1], '%Y/%m/%d %H:%M:%S'))
            ELSE local_to_utc(try_strptime(f[1], '%d/%b/%Y:%H:%M:%S')) END""",
        "class_uid": "CASE verdict WHEN 'virus' THEN 2004 ELSE 4009 END",
        "metadata_log_name": "verdict",
        "metadata_product_name": "'m-FILTER'",
        "app_name": "'SMTP'",
        "severity": "CASE verdict WHEN 'virus' THEN 'infected' END",
        "severity_id": "CASE verdict WHEN 'virus' THEN 4 ELSE 1 END",
        "action": f"CASE WHEN tsushin THEN {_MAIL_ACTION} ELSE 'relay' END",
        "action_id": "CASE WHEN NOT tsushin THEN 1 WHEN f[6] IN ('1', '9') THEN 2 WHEN f[6] IN ('0', '4', '8') THEN 1 ELSE 99 END",
        "src_endpoint_ip": "CASE WHEN NOT tsushin THEN f[5] END",
        "finding_title": "CASE WHEN tsushin THEN nn(urldec(f[10])) END",
        "email_from": "urldec(CASE WHEN tsushin THEN f[13] ELSE f[6] END)",
        "email_to": "urldec(CASE WHEN tsushin THEN nn(regexp_replace(f[14], '^[^,]*,', '')) ELSE f[7] END)",
        "unmapped": unmapped_json(
            {
                "queue_id": "CASE WHEN tsushin THEN f[3] ELSE f[2] END",
                "ruleset": "CASE WHEN tsushin THEN nn(urldec(f[9])) END",
                "size": "CASE WHEN tsushin THEN f[5] END",
            }
        ),
    },
)
