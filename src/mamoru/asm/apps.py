from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsmConfig(AppConfig):
    name = "mamoru.asm"
    label = "asm"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("攻撃対象領域の診断")
    audit_actions = {
        "asm.asset.create": _("資産を登録"),
        "asm.asset.update": _("資産を変更"),
        "asm.asset.approve": _("資産を診断対象として承認"),
        "asm.asset.retire": _("資産を診断対象から外す"),
        "asm.asset.import": _("資産をファイルから取り込み"),
        "asm.suggestion.discover": _("資産の候補を探す"),
        "asm.suggestion.accept": _("資産の候補を追加"),
        "asm.suggestion.reject": _("資産の候補を対象外にする"),
        "asm.scan.request": _("診断を依頼"),
        "asm.campaign.start": _("全国診断を開始"),
        "asm.finding.acknowledge": _("検出結果の対応を開始"),
        "asm.finding.fix": _("検出結果を修正済みにする"),
        "asm.finding.accept_risk": _("検出結果のリスクを受容"),
        "asm.finding.reopen": _("検出結果を未対応に戻す"),
        "asm.finding.note": _("検出結果にメモ"),
        "asm.finding.expire": _("リスク受容の期限切れで未対応に戻す"),
        "asm.finding.read": _("検出結果を閲覧"),
        "asm.findings.read": _("検出結果の一覧を閲覧"),
        "asm.findings.export": _("検出結果を書き出し"),
        "asm.services.read": _("公開サービスの一覧を閲覧"),
        "asm.exposure.read": _("団体ごとの露出状況を閲覧"),
        "asm.alert.read": _("露出の警告を閲覧"),
        "asm.notice.read": _("露出の警告を既読にする"),
    }

    def ready(self) -> None:
        from mamoru.asm import receivers  # noqa: F401 - exposure alerts on vulnerability imports
        from mamoru.asm.ui import shell  # noqa: F401 - menu entries, home panels, attention
