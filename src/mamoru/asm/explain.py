"""Every finding in words a person without security training can act on: what it means,
what to do first, and who to ask.

``KIND_TEXTS`` covers every kind the engine's checks report (``engine.checks.CATALOGUE``)
and the two vulnerability kinds; a test fails when a kind has no text. A vulnerability
finding is explained from its own facts (``vulnerability_text``): the product and version
seen, why it is affected — including the distribution-backport reasoning in plain
Japanese — how urgent it is and why, and the steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.asm.vulnerabilities import KNOWN, KNOWN_EXPLOITED

if TYPE_CHECKING:
    from mamoru.asm.models import Finding


@dataclass(frozen=True)
class KindText:
    meaning: str | Promise  # what this means, and why it matters
    action: str | Promise  # what to do, in the order to do it


KIND_TEXTS: dict[str, KindText] = {
    "tls-expired-certificate": KindText(
        gettext_lazy(
            "ウェブサイトなどの「身分証明書」にあたる証明書の期限が切れています。利用者の画面に警告が出るため、本物のサイトか確かめられなくなり、偽のサイトとの区別もつきにくくなります。"
        ),
        gettext_lazy(
            "証明書を発行した事業者（または委託先）に連絡して新しい証明書を発行してもらい、サーバーに設定してください。次回から期限切れを防ぐため、自動更新の仕組みがあるか確認してください。"
        ),
    ),
    "tls-certificate-expiring-soon": KindText(
        gettext_lazy(
            "証明書の期限がもうすぐ切れます。切れると利用者の画面に警告が出て、サービスが使いにくくなります。"
        ),
        gettext_lazy("期限が切れる前に、証明書の更新を担当者（または委託先）に依頼してください。"),
    ),
    "tls-self-signed": KindText(
        gettext_lazy(
            "信頼された発行元ではなく、自分で作った証明書が使われています。利用者は本物のサーバーか確かめられず、警告を無視する習慣がつくと偽のサイトに気づけなくなります。"
        ),
        gettext_lazy(
            "公的な認証局が発行した証明書に取り替えるよう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "tls-hostname-mismatch": KindText(
        gettext_lazy(
            "証明書に書かれた名前と、接続したサーバーの名前が違います。利用者の画面に警告が出て、本物のサイトか確かめられません。"
        ),
        gettext_lazy(
            "このサーバーの名前を含む証明書を用意して設定するよう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "tls-legacy-protocol": KindText(
        gettext_lazy(
            "古く弱い暗号化の方式（TLS 1.0 / 1.1）がまだ使える状態です。通信の内容を盗み見られるおそれが高まります。"
        ),
        gettext_lazy(
            "サーバーの設定で TLS 1.0 と 1.1 を止め、TLS 1.2 以上だけを使うよう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "tls-weak-key": KindText(
        gettext_lazy("証明書の鍵が短く、将来解読されるおそれがあります。"),
        gettext_lazy(
            "2048ビット以上の鍵で証明書を作り直すよう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "tls-weak-signature": KindText(
        gettext_lazy("証明書の署名に、偽造できることが知られている古い方式が使われています。"),
        gettext_lazy("SHA-256 以上で署名された証明書を発行し直してもらってください。"),
    ),
    "http-missing-security-headers": KindText(
        gettext_lazy(
            "ウェブサイトに、閲覧者のブラウザを守るための設定（セキュリティヘッダー）が足りません。すぐに被害が出るものではありませんが、他の弱点と組み合わされると悪用されやすくなります。"
        ),
        gettext_lazy(
            "詳細欄に書かれた不足しているヘッダーを追加するよう、ウェブサイトの担当者（または委託先）に依頼してください。"
        ),
    ),
    "http-directory-listing": KindText(
        gettext_lazy(
            "ウェブサーバーが、フォルダーの中のファイル一覧をそのまま誰にでも見せています。公開するつもりのないファイルまで見られてしまうおそれがあります。"
        ),
        gettext_lazy(
            "一覧の表示を止める設定にし、見えていたファイルに公開してはいけないものがないか確認してください。"
        ),
    ),
    "exposed-admin-panel": KindText(
        gettext_lazy(
            "機器やシステムの管理画面が、インターネットの誰からでも開ける状態です。パスワードを推測されたり、弱点を突かれたりすると、機器を乗っ取られます。"
        ),
        gettext_lazy(
            "管理画面は庁内や決まった場所からだけ開けるように制限してください。すぐに制限できない場合は、パスワードが推測されにくいことと、機器が最新の版であることを確認してください。"
        ),
    ),
    "ftp-anonymous-login": KindText(
        gettext_lazy(
            "ファイルを受け渡すサーバー（FTP）に、パスワードなしで誰でも入れます。置かれたファイルを誰でも読めるおそれがあります。"
        ),
        gettext_lazy(
            "匿名でのログインを止めてください。置かれているファイルに公開してはいけないものがないか確認してください。"
        ),
    ),
    "exposed-database": KindText(
        gettext_lazy(
            "データベースがインターネットから直接つながる状態です。データベースは本来、庁内のシステムからだけ使うものです。"
        ),
        gettext_lazy(
            "インターネットからの接続を止める（ファイアウォールで遮断する）よう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "exposed-database-no-auth": KindText(
        gettext_lazy(
            "データベースに、パスワードなしで誰でも接続できます。中のデータを読まれたり、消されたりするおそれがあり、非常に危険です。"
        ),
        gettext_lazy(
            "すぐにインターネットからの接続を止めてください。そのうえで、データが持ち出された形跡がないか確認し、都道府県の窓口に相談してください。"
        ),
    ),
    "exposed-cache-no-auth": KindText(
        gettext_lazy(
            "キャッシュサーバー（Redis、memcached など）に、パスワードなしで誰でも接続できます。データを読まれたり、サーバーを乗っ取られたりするおそれがあります。"
        ),
        gettext_lazy("インターネットからの接続を止め、パスワードを設定してください。"),
    ),
    "cleartext-remote-login": KindText(
        gettext_lazy(
            "暗号化されない方式（telnet など）で遠隔ログインできる状態です。パスワードが盗み見られるおそれがあります。"
        ),
        gettext_lazy(
            "この方式を止め、暗号化された方式（SSH など）に切り替えてください。インターネットからの接続は制限してください。"
        ),
    ),
    "open-proxy": KindText(
        gettext_lazy(
            "中継サーバー（プロキシ）が、誰の通信でも中継する状態です。攻撃者が身元を隠したり、庁内のサーバーに入り込んだりするために使われます。"
        ),
        gettext_lazy(
            "中継を庁内の利用者だけに制限する設定にするよう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "exposed-remote-desktop": KindText(
        gettext_lazy(
            "パソコンやサーバーを遠隔操作する機能（リモートデスクトップなど）が、インターネットから直接使える状態です。ランサムウェアの侵入口としてよく狙われます。"
        ),
        gettext_lazy(
            "インターネットからの接続を止め、必要なら VPN を通して使うようにしてください。"
        ),
    ),
    "exposed-smb": KindText(
        gettext_lazy(
            "ファイル共有の機能（SMB）がインターネットから使える状態です。過去に大きな被害を出したウイルスの侵入口です。"
        ),
        gettext_lazy("すぐにインターネットからの接続を止めてください。"),
    ),
    "smtp-no-starttls": KindText(
        gettext_lazy(
            "メールサーバーが、メールを暗号化して受け渡す機能に対応していません。メールの内容が途中で盗み見られるおそれがあります。"
        ),
        gettext_lazy(
            "メールサーバーで STARTTLS を有効にするよう、担当者（または委託先）に依頼してください。"
        ),
    ),
    "spf-missing": KindText(
        gettext_lazy(
            "貴団体のドメインに、どのサーバーからのメールが本物かを示す設定（SPF）がありません。貴団体をかたる偽のメールを、受け取った側が見分けにくくなります。"
        ),
        gettext_lazy(
            "メールを送るサーバーを書いた SPF レコードを DNS に追加するよう、DNS の担当者（または委託先）に依頼してください。"
        ),
    ),
    "spf-permissive": KindText(
        gettext_lazy("SPF の設定が緩く、どのサーバーからのメールも本物として扱われてしまいます。"),
        gettext_lazy(
            "SPF の最後を「-all」か「~all」にし、送信に使うサーバーだけを書くよう依頼してください。"
        ),
    ),
    "spf-too-many-lookups": KindText(
        gettext_lazy(
            "SPF の設定が複雑すぎて、受け取る側が確認しきれず、正しいメールまで偽物と判定されるおそれがあります。"
        ),
        gettext_lazy("SPF の include を整理して、DNS の参照を10回以内にするよう依頼してください。"),
    ),
    "spf-multiple-records": KindText(
        gettext_lazy("SPF の設定が二つあり、受け取る側がどちらも使えずエラーになります。"),
        gettext_lazy(
            "SPF レコードを一つにまとめるよう、DNS の担当者（または委託先）に依頼してください。"
        ),
    ),
    "dmarc-missing": KindText(
        gettext_lazy(
            "偽のメールを受け取った側でどう扱うかを決める設定（DMARC）がありません。貴団体をかたる偽のメールが届きやすくなります。"
        ),
        gettext_lazy(
            "まず「p=none」で DMARC を設定して報告を受け取り、問題がなければ「p=quarantine」以上にしてください。"
        ),
    ),
    "dmarc-none": KindText(
        gettext_lazy("DMARC が「監視だけ」の設定で、偽のメールもそのまま届きます。"),
        gettext_lazy(
            "報告を確認したうえで、ポリシーを「p=quarantine」か「p=reject」にしてください。"
        ),
    ),
    "vpn-appliance": KindText(
        gettext_lazy(
            "VPN 装置がインターネットに公開されています。それ自体は普通のことですが、VPN 装置はランサムウェアの主な侵入口で、古い版のまま使うと乗っ取られます。"
        ),
        gettext_lazy(
            "製品と版を確認し、メーカーの最新版になっているか、保守契約が続いているかを確認してください。"
        ),
    ),
    KNOWN: KindText(
        gettext_lazy("この機器・ソフトウェアの版には、公表された弱点（脆弱性）があります。"),
        gettext_lazy("メーカーが公開した修正版に更新してください。"),
    ),
    KNOWN_EXPLOITED: KindText(
        gettext_lazy(
            "この機器・ソフトウェアの版には、実際の攻撃に使われている弱点（脆弱性）があります。放置すると侵入される危険が非常に高い状態です。"
        ),
        gettext_lazy(
            "すぐにメーカーの修正版に更新してください。すぐに更新できない場合は、インターネットからの接続を止めてください。"
        ),
    ),
}

_FALLBACK = KindText(
    gettext_lazy("診断で見つかった注意点です。"),
    gettext_lazy("内容を担当者（または委託先）に確認し、必要な対応をしてください。"),
)


def kind_text(kind: str) -> KindText:
    return KIND_TEXTS.get(kind, _FALLBACK)


def _rule_sentence(details: Mapping[str, Any]) -> str:
    rule, version = details.get("rule", ""), details.get("version", "")
    product = details.get("product", "").split(":", 1)[-1]
    if rule == "distro-fix":
        return _(
            "この版はディストリビューション（Debian や Red Hat など）のパッケージとして"
            "提供されています。ディストリビューションは版数を変えずに修正を取り込むこと"
            "（バックポート）があるため、ディストリビューションの修正情報と照らし合わせ、"
            "このパッケージはまだ修正されていないと判断しました。"
        )
    if details.get("range"):
        return _(
            "検出した %(product)s %(version)s は、この脆弱性の影響を受ける版（%(range)s）に含まれます。"
        ) % {"product": product, "version": version, "range": details["range"]}
    return ""


def _urgency_sentence(details: Mapping[str, Any]) -> str:
    if details.get("known_ransomware_use") == "true":
        return _("ランサムウェア攻撃で実際に使われています。最優先で対応してください。")
    if details.get("kev") == "true":
        return _("実際の攻撃に使われていることが確認されています（米国 CISA の KEV カタログ）。")
    if details.get("epss"):
        percent = float(details["epss"]) * 100
        return _("今後30日以内に攻撃に使われる見込みは約%(percent).1f%%です（EPSS）。") % {
            "percent": percent
        }
    return ""


def vulnerability_text(details: Mapping[str, Any]) -> dict[str, str]:
    """Plain-Japanese explanation of a vulnerability finding from its details."""
    reasons = [r for r in str(details.get("reasons", "")).split(" / ") if r]
    plain = [r for r in reasons if not r.startswith(("CVE JSON 5", "NVD "))]
    why = " ".join(s for s in (_rule_sentence(details), *plain) if s)
    if details.get("version_exact") == "false":
        why += _("（版数は応答から推定したものです。実際の版を機器の管理画面で確認してください。）")
    return {
        "why": why,
        "urgency": _urgency_sentence(details),
        "action": str(details.get("action", "")),
    }


def finding_explanation(finding: Finding) -> dict[str, Any]:
    """What the finding means and what to do, in plain words."""
    text = kind_text(finding.kind)
    context: dict[str, Any] = {"meaning": text.meaning, "action": text.action}
    if finding.kind in {KNOWN, KNOWN_EXPLOITED}:
        plain = vulnerability_text(finding.details)
        context["why"] = plain["why"]
        context["urgency"] = plain["urgency"]
        context["action"] = plain["action"] or text.action
    return context
