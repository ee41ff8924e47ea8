"""Every finding kind the checks can report: stable id, default severity, and the words.

The platform imports ``CATALOGUE`` to show findings to people with no security training:
``title_ja`` says what is wrong in plain Japanese, ``remediation_ja`` what to do about it.
``title_en`` is kept for the English interface (i18n later). Kinds are stable identifiers:
rename one only with a data migration on the platform side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mamoru.asm.engine.model import Evidence, Finding, Severity


@dataclass(frozen=True, slots=True)
class FindingKind:
    kind: str
    severity: Severity  # the usual severity; a check may raise or lower it with a reason
    title_ja: str
    title_en: str
    remediation_ja: str


_S = Severity
_KINDS = [
    FindingKind(
        "tls-expired-certificate", _S.HIGH,
        "サーバー証明書の有効期限が切れている（または、まだ有効になっていない）",
        "The TLS certificate has expired (or is not yet valid)",
        "証明書を発行元で更新し、新しい証明書をサーバーに設定してください。"
        "期限切れを防ぐため、自動更新の仕組み（ACME など）の導入も検討してください。",
    ),
    FindingKind(
        "tls-certificate-expiring-soon", _S.LOW,
        "サーバー証明書の有効期限が30日以内に切れる",
        "The TLS certificate expires within 30 days",
        "期限が切れる前に証明書を更新し、サーバーに設定してください。",
    ),
    FindingKind(
        "tls-self-signed", _S.MEDIUM,
        "信頼された発行元ではなく、自分で作った証明書（自己署名証明書）が使われている",
        "The TLS certificate is self-signed",
        "公的な認証局（または組織の認証局）が発行した証明書に取り替えてください。"
        "利用者が警告を無視する習慣がつくと、偽のサイトに気づけなくなります。",
    ),
    FindingKind(
        "tls-hostname-mismatch", _S.MEDIUM,
        "証明書に書かれた名前と、接続したサーバーの名前が一致しない",
        "The TLS certificate does not match the host name",
        "このサーバーの名前（ドメイン名）を含む証明書を取得し、設定してください。",
    ),
    FindingKind(
        "tls-legacy-protocol", _S.MEDIUM,
        "古く安全でない暗号化通信の方式（TLS 1.0 / TLS 1.1）がまだ使える",
        "Legacy TLS versions (1.0/1.1) are accepted",
        "サーバーの設定で TLS 1.0 と TLS 1.1 を無効にし、TLS 1.2 以上だけを使えるようにしてください。",
    ),
    FindingKind(
        "tls-weak-key", _S.MEDIUM,
        "証明書の鍵が短く、将来解読されるおそれがある",
        "The certificate key is too small",
        "2048ビット以上の RSA 鍵（または楕円曲線暗号の鍵）で証明書を作り直してください。",
    ),
    FindingKind(
        "tls-weak-signature", _S.MEDIUM,
        "証明書の署名に、偽造が可能な古い方式（SHA-1 / MD5）が使われている",
        "The certificate is signed with a weak hash (SHA-1/MD5)",
        "SHA-256 以上で署名された証明書を発行し直してください。",
    ),
    FindingKind(
        "http-missing-security-headers", _S.LOW,
        "ウェブサイトで、閲覧者のブラウザを守るための設定（セキュリティヘッダー）が不足している",
        "Security headers are missing",
        "ウェブサーバーの設定で、不足しているヘッダー（詳細欄を参照）を追加してください。",
    ),
    FindingKind(
        "http-directory-listing", _S.MEDIUM,
        "ウェブサーバーで、フォルダーの中のファイル一覧が誰でも見られる",
        "Directory listing is enabled",
        "ウェブサーバーの設定でファイル一覧の表示を無効にし、公開不要なファイルを削除してください。",
    ),
    FindingKind(
        "exposed-admin-panel", _S.HIGH,
        "管理画面がインターネットから誰でも開ける状態になっている",
        "An administration panel is reachable from the internet",
        "管理画面へは庁内ネットワークや VPN からだけ接続できるように制限してください。"
        "あわせて、初期パスワードのままでないか確認してください。",
    ),
    FindingKind(
        "ftp-anonymous-login", _S.HIGH,
        "FTP サーバーに、パスワードなしの「匿名」で誰でもログインできる",
        "Anonymous FTP login is allowed",
        "匿名ログインを無効にしてください。公開が必要なファイルはウェブサイトで公開してください。",
    ),
    FindingKind(
        "exposed-database", _S.HIGH,
        "データベースがインターネットから直接つながる状態になっている",
        "A database is reachable from the internet",
        "データベースはインターネットに公開せず、必要なサーバーからだけ接続できるように"
        "ファイアウォールで制限してください。",
    ),
    FindingKind(
        "exposed-database-no-auth", _S.CRITICAL,
        "データベースに、パスワードなしで誰でも接続して中身を見られる",
        "A database accepts connections without authentication",
        "直ちにインターネットからの接続を遮断し、認証（パスワード）を有効にしてください。"
        "すでに情報が持ち出されていないか、アクセス記録を確認してください。",
    ),
    FindingKind(
        "exposed-cache-no-auth", _S.HIGH,
        "キャッシュサーバー（Redis / memcached）に、パスワードなしで誰でも接続できる",
        "A cache server (Redis/memcached) accepts commands without authentication",
        "インターネットからの接続を遮断し、Redis は認証（requirepass / ACL）を有効にしてください。"
        "Redis は乗っ取りに悪用されることがあるため、至急の対応が必要です。",
    ),
    FindingKind(
        "cleartext-remote-login", _S.HIGH,
        "パスワードが暗号化されずに送られる接続方式（Telnet / FTP）が使える",
        "A cleartext login protocol (Telnet/FTP) is exposed",
        "Telnet は停止して SSH に、FTP は停止するか FTPS / SFTP に切り替えてください。",
    ),
    FindingKind(
        "open-proxy", _S.HIGH,
        "誰でも使える中継サーバー（オープンプロキシ）になっていて、攻撃の踏み台にされる",
        "An open proxy relays requests for anyone",
        "プロキシは庁内の利用者だけが使えるように、接続元を制限するか認証を設定してください。",
    ),
    FindingKind(
        "exposed-remote-desktop", _S.HIGH,
        "パソコンやサーバーを遠隔操作する窓口（リモートデスクトップ / VNC）が公開されている",
        "Remote desktop (RDP/VNC) is exposed",
        "遠隔操作の窓口はインターネットに公開せず、VPN を経由した接続だけにしてください。"
        "ランサムウェア被害の主な侵入口の一つです。",
    ),
    FindingKind(
        "exposed-smb", _S.HIGH,
        "Windows のファイル共有（SMB）の窓口がインターネットに公開されている",
        "SMB file sharing is exposed",
        "ファイアウォールで TCP 139 / 445 番への外部からの接続を遮断してください。",
    ),
    FindingKind(
        "smtp-no-starttls", _S.LOW,
        "メールサーバーが通信の暗号化（STARTTLS）に対応していない",
        "The SMTP server does not offer STARTTLS",
        "メールサーバーに証明書を設定し、STARTTLS を有効にしてください。",
    ),
    FindingKind(
        "spf-missing", _S.MEDIUM,
        "なりすましメールを防ぐ設定（SPF）がドメインにない",
        "The domain has no SPF record",
        "DNS に SPF レコードを登録してください。メールを送らないドメインは "
        "「v=spf1 -all」を登録してください。",
    ),
    FindingKind(
        "spf-permissive", _S.HIGH,
        "SPF の設定が「誰が送ってもよい」状態で、なりすましを防げない",
        "The SPF record allows any sender (+all / ?all)",
        "SPF レコードの末尾を「-all」（または「~all」）にし、送信元を正しく列挙してください。",
    ),
    FindingKind(
        "spf-too-many-lookups", _S.MEDIUM,
        "SPF の設定が複雑すぎて（DNS 参照が10回を超える）、受信側で無効と扱われる",
        "The SPF record needs more than 10 DNS lookups",
        "include などの参照を減らし、可能なものは IP アドレス（ip4: / ip6:）で書いてください。",
    ),
    FindingKind(
        "spf-multiple-records", _S.MEDIUM,
        "SPF の設定が複数登録されていて、受信側で無効と扱われる",
        "The domain has more than one SPF record",
        "SPF レコードを1つにまとめてください。",
    ),
    FindingKind(
        "dmarc-missing", _S.MEDIUM,
        "なりすましメール対策（DMARC）の設定がドメインにない",
        "The domain has no DMARC record",
        "「_dmarc.ドメイン名」に DMARC レコードを登録してください。まず p=none で報告を受け、"
        "問題がなければ p=quarantine、p=reject に強めてください。",
    ),
    FindingKind(
        "dmarc-none", _S.LOW,
        "DMARC の設定が「監視のみ（p=none）」で、なりすましメールがそのまま届く",
        "The DMARC policy is p=none (monitoring only)",
        "報告を確認したうえで、DMARC のポリシーを p=quarantine または p=reject にしてください。",
    ),
    FindingKind(
        "vpn-appliance", _S.INFO,
        "VPN 装置がインターネットに公開されている（製品と版を確認してください）",
        "A VPN appliance is exposed (check product and version)",
        "製品の版が最新か、メーカーの脆弱性情報を確認し、更新してください。"
        "VPN 装置はランサムウェアの主な侵入口です。",
    ),
]  # fmt: skip

CATALOGUE: Mapping[str, FindingKind] = MappingProxyType({k.kind: k for k in _KINDS})


def new_finding(
    kind: str,
    *,
    ip: str | None = None,
    port: int | None = None,
    hostname: str | None = None,
    evidence: tuple[Evidence, ...] = (),
    details: Mapping[str, str] | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A ``Finding`` of a catalogued kind, with its Japanese title and remediation."""
    entry = CATALOGUE[kind]
    return Finding(
        kind=kind,
        severity=severity or entry.severity,
        title=entry.title_ja,
        ip=ip,
        port=port,
        hostname=hostname,
        evidence=evidence,
        details={"remediation": entry.remediation_ja, **(details or {})},
    )
