from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeccloudConfig(AppConfig):
    name = "mamoru.seccloud"
    label = "seccloud"
    default_auto_field = "django.db.models.BigAutoField"
    absent_rooms = {
        "api": "the security cloud is operated through its pages and the `mamoru seccloud` "
        "commands; appliances send syslog to the receiver, not to a REST API",
    }
    audit_actions = {
        "seccloud.device.save": _("セキュリティクラウドの機器を登録・変更"),
        "seccloud.ranges.import": _("アドレス範囲を取り込み"),
        "seccloud.rule.update": _("検知ルールを変更"),
        "seccloud.bad_destinations.import": _("既知の悪性宛先を取り込み"),
        "seccloud.ingest": _("ログを取り込み"),
        "seccloud.upload": _("ログファイルをアップロード"),
        "seccloud.alert.acknowledge": _("アラートを確認"),
        "seccloud.alert.close": _("アラートの対応を完了"),
        "seccloud.report.compute": _("月次報告を作成"),
        "seccloud.report.export": _("月次報告を書き出し"),
        "seccloud.schedule.save": _("月次報告の予定を変更"),
        "seccloud.alerts.read": _("アラートを閲覧"),
        "seccloud.report.read": _("月次報告を閲覧"),
    }

    def ready(self) -> None:
        from mamoru.seccloud.ui import shell  # noqa: F401 - menu entries and home items
