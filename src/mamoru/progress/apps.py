from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "mamoru.progress"
    label = "progress"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "progress.campaign.create": _("進捗管理を開始"),
        "progress.report.save": _("月次報告を保存"),
        "progress.report.submit": _("月次報告を提出"),
        "progress.report.unchanged": _("月次報告を「前月から変更なし」で提出"),
        "progress.report.import": _("月次報告をExcelから取り込み"),
        "progress.report.export": _("進捗を書き出し"),
        "progress.attachment.add": _("ファイルを添付"),
        "progress.attachment.read": _("添付ファイルを取得"),
        "progress.followup.create": _("市区町村へのフォローアップを記録"),
        "progress.followup.answer": _("フォローアップに回答"),
        "progress.notice.publish": _("お知らせを発出"),
        "progress.notice.read": _("お知らせを既読にする"),
        "progress.notice.confirm": _("お知らせの内容を確認"),
        "progress.notice.remind": _("お知らせの確認を催促"),
        "progress.question.ask": _("質問を送信"),
        "progress.question.read": _("質問を閲覧"),
        "progress.question.answer": _("質問に回答"),
        "progress.question.forward": _("質問を国に転送"),
        "progress.faq.publish": _("よくある質問を公開"),
        "progress.faq.update": _("よくある質問を更新"),
    }

    def ready(self) -> None:
        from mamoru.progress.ui import shell  # noqa: F401 - menu entries and home items
