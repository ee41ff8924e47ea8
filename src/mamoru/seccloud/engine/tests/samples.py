"""Sample lines written for the tests from the vendors' public format descriptions."""

from __future__ import annotations

# Municipal ranges used with these samples: 10.1.0.0/16 → 131016 (千代田区), 10.2.0.0/16 → 131024.
FORTIGATE_TRAFFIC = (
    '<189>date=2026-10-05 time=10:00:01 devname="FGT-PREF-01" devid="FG100FTK00000001" '
    'eventtime=1791162001000000000 tz="+0900" logid="0000000013" type="traffic" subtype="forward" '
    'level="notice" vd="root" srcip=10.1.2.3 srcport=51000 srcintf="lgwan" dstip=198.51.100.7 '
    'dstport=443 dstintf="wan1" sessionid=101 proto=6 action="close" policyid=3 service="HTTPS" '
    'dstcountry="United States" duration=12 sentbyte=1200 rcvdbyte=34000 sentpkt=12 rcvdpkt=30 '
    'app="HTTPS.BROWSER" appcat="Web.Client"'
)
FORTIGATE_DENY = (
    'date=2026-10-05 time=10:00:02 devname="FGT-PREF-01" logid="0000000013" type="traffic" '
    'subtype="forward" level="notice" srcip=203.0.113.50 srcport=40000 dstip=10.2.0.10 dstport=22 '
    'proto=6 action="deny" policyid=0 service="SSH" sentbyte=0 rcvdbyte=0 tz="+0900"'
)
FORTIGATE_IPS = (
    'date=2026-10-05 time=10:01:00 devname="FGT-PREF-01" logid="0419016384" type="utm" subtype="ips" '
    'eventtype="signature" level="alert" severity="critical" srcip=203.0.113.50 srcport=40001 '
    'dstip=10.2.0.10 dstport=443 proto=6 service="HTTPS" action="dropped" '
    'attack="Fortinet.FortiOS.SSL.VPN.Heap.Buffer.Overflow" attackid=53001 tz="+0900"'
)
FORTIGATE_VIRUS_MAIL = (
    'date=2026-10-05 time=10:02:00 devname="FGT-PREF-01" logid="0211008192" type="utm" '
    'subtype="virus" eventtype="infected" level="warning" srcip=192.0.2.25 dstip=10.1.9.9 '
    'srcport=25000 dstport=25 proto=6 service="SMTP" action="blocked" virus="W32/Emotet.A!tr" '
    'virusid=8000001 filename="請求書.zip" from="attacker@example.net" to="kikaku@city.example.lg.jp" '
    'filehash="ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789" tz="+0900"'
)
FORTIGATE_SANDBOX = (
    'date=2026-10-05 time=10:03:00 devname="FGT-PREF-01" logid="0201009235" type="utm" '
    'subtype="virus" eventtype="analytics" level="information" srcip=192.0.2.26 dstip=10.1.9.9 '
    'service="SMTP" action="blocked" fsaverdict="malicious" filename="invoice.docm" tz="+0900"'
)
FORTIGATE_WEBFILTER = (
    'date=2026-10-05 time=10:04:00 devname="FGT-PREF-01" logid="0316013056" type="utm" '
    'subtype="webfilter" eventtype="ftgd_blk" level="warning" srcip=10.1.2.4 dstip=198.51.100.9 '
    'srcport=50000 dstport=80 proto=6 service="HTTP" hostname="phish.example.com" '
    'url="/login.php" action="blocked" cat=26 catdesc="Malicious Websites" tz="+0900"'
)
FORTIGATE_SPAM = (
    'date=2026-10-05 time=10:05:00 devname="FGT-PREF-01" logid="0510020480" type="utm" '
    'subtype="emailfilter" eventtype="smtp" level="notice" srcip=192.0.2.30 dstip=10.2.5.5 '
    'service="SMTP" action="blocked" from="win@example.org" to="soumu@town.example.lg.jp" '
    'subject="当選のお知らせ" tz="+0900"'
)
CEF_CHECKPOINT = (
    "<134>Oct  5 10:06:00 cp-gw01 CEF:0|Check Point|SmartDefense|R81.20|Scanner|Port Scan|8|"
    "rt=1791162360000 src=203.0.113.77 spt=0 dst=10.1.0.5 dpt=445 proto=TCP act=Drop "
    "cat=Scanner msg=TCP port scan detected from a single source"
)
CEF_TREND = (
    "CEF:0|Trend Micro|Deep Discovery Analyzer|7.5|200120|Sandbox file analysis|6|"
    "rt=Oct 05 2026 10:07:00 src=192.0.2.40 dst=10.2.1.1 fname=report.xlsm "
    "fileHash=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF "
    "suser=x@example.net duser=y@village.example.lg.jp act=Quarantine"
)
CEF_FORTIGATE = (
    "CEF:0|Fortinet|Fortigate|v7.4.3|00013|traffic:forward deny|3|deviceExternalId=FG100F "
    "rt=1791162420000 src=203.0.113.90 spt=5555 dst=10.1.3.3 dpt=3389 proto=6 act=deny out=0 in=0"
)
LEEF_MFILTER = (
    "LEEF:2.0|Digital Arts|m-FILTER|5.0|SPAM|^|devTime=Oct 05 2026 10:08:00^cat=Anti-Spam^"
    "sev=3^src=192.0.2.50^dst=10.2.5.5^sender=spam@example.org^recipient=jinji@city.example.lg.jp^action=delete"
)
PANOS_TRAFFIC = (
    "<14>Oct  5 10:09:00 PA-3220 1,2026/10/05 10:09:00,012801000001,TRAFFIC,end,2561,"
    "2026/10/05 10:09:00,10.1.4.4,198.51.100.20,0.0.0.0,0.0.0.0,allow-web,,,ssl,vsys1,trust,untrust,"
    "ethernet1/2,ethernet1/1,log-fwd,2026/10/05 10:09:00,33000,1,52000,443,0,0,0x400053,tcp,allow,"
    "5000,1000,4000,20,2026/10/05 10:08:50,10,computer-and-internet-info,0,7000001,0x0,10.0.0.0-10.255.255.255,"
    "United States,0,10,10,tcp-fin"
)
PANOS_THREAT_URL = (
    "1,2026/10/05 10:10:00,012801000001,THREAT,url,2561,2026/10/05 10:10:00,10.2.4.4,198.51.100.21,"
    "0.0.0.0,0.0.0.0,allow-web,,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,"
    '2026/10/05 10:10:00,33001,1,52001,80,0,0,0x400000,tcp,block-url,"bad.example.com/dl/x.exe",'
    "(9999),malware,informational,client-to-server,7000002,0x0,10.0.0.0-10.255.255.255,United States,"
    "0,text/html,0,,,1,,,,,,,,0"
)
PANOS_THREAT_VULN = (
    "1,2026/10/05 10:11:00,012801000001,THREAT,vulnerability,2561,2026/10/05 10:11:00,203.0.113.60,"
    "10.1.0.80,0.0.0.0,0.0.0.0,inbound,,,web-browsing,vsys1,untrust,dmz,ethernet1/1,ethernet1/3,log-fwd,"
    "2026/10/05 10:11:00,33002,1,41000,80,0,0,0x2000,tcp,reset-both,"
    '"index.php",Apache Struts Remote Code Execution Vulnerability(33820),any,high,'
    "client-to-server,7000003,0x0,US,10.0.0.0-10.255.255.255,0,,0,,,0,,,,,,,,0"
)
IFILTER_ACCESS = (
    "Oct  5 10:12:00 4872 1000/01/ - 198.51.100.30:443 10.1.6.6 10.1.6.6 - user01 "
    "[05/Oct/2026:10:12:00 +0900] 200 0 5120 pass 0 12 12/40 -1 0 1518 0 group01 - 0 - "
    '"GET https://www.example.jp/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B HTTP/1.1" - Chrome '
    "text%2Fhtml%3B+charset%3Dutf-8 A667FEFF"
)
IFILTER_BLOCK = (
    "4582 10.2.6.7 user02 group02 7 05/Oct/2026:10:13:00 +0900 "
    "http://gamble.example.com/ block 43 31 99 28 0 -1 0 -"
)
MFILTER_TSUSHIN = (
    "2026/10/05 10:14:00,05/Oct/2026:10:13:58,38,38_kVgK+WOW0HlRgB9xFlbXXw==,738,1,0,group,"
    "%E5%8F%97%E4%BF%A1%E3%83%AB%E3%83%BC%E3%83%AB,%E3%82%A6%E3%82%A4%E3%83%AB%E3%82%B9%E5%89%8A%E9%99%A4,"
    '-,1,virus@example.net,"1,kaikei@city.example.lg.jp",0,'
)
SURICATA_ALERT = (
    '{"timestamp":"2026-10-05T10:15:00.123456+0900","flow_id":1,"in_iface":"eth0","event_type":"alert",'
    '"src_ip":"203.0.113.99","src_port":44444,"dest_ip":"10.2.0.20","dest_port":80,"proto":"TCP",'
    '"alert":{"action":"allowed","gid":1,"signature_id":2030000,"rev":1,'
    '"signature":"ET SCAN Nmap Scripting Engine User-Agent Detected","category":"Web Application Attack","severity":1},'
    '"http":{"hostname":"www.town.example.lg.jp","url":"/"},"host":"ids-01"}'
)
SQUID_DENIED = "1791162960.123    12 10.1.7.7 TCP_DENIED/403 3900 GET http://blocked.example.com/x - HIER_NONE/- text/html"
GARBAGE = "this line is not a log record at all"
