from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "mamoru.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "incidents.report.create": _("インシデント報告を作成"),
        "incidents.report.update": _("インシデント報告の下書きを変更"),
        "incidents.report.request_approval": _("インシデント報告の承認を依頼"),
        "incidents.report.submit": _("インシデント報告を承認して提出"),
        "incidents.report.reopen": _("インシデント報告を再開"),
        "incidents.report.read": _("インシデント報告を閲覧"),
        "incidents.report.individual_notice": _("本人への通知の状況を更新"),
        "incidents.inbox.read": _("受け付けた報告を閲覧"),
        "incidents.inbox.list": _("受け付けた報告の一覧を閲覧"),
        "incidents.overdue.list": _("期限を過ぎた報告の一覧を閲覧"),
        "incidents.notifications.list": _("お知らせの一覧を閲覧"),
        "incidents.statistics.read": _("報告の統計を閲覧"),
        "incidents.thread.read": _("報告についての連絡を閲覧"),
        "incidents.diff.read": _("報告の版の違いを閲覧"),
        "incidents.delivery.acknowledge": _("報告の受領を確認"),
        "incidents.message.post": _("報告について連絡"),
        "incidents.notification.read": _("お知らせを既読にする"),
        "incidents.deputy.name": _("承認の代理者を指名"),
        "incidents.deputy.revoke": _("承認の代理者の指名を取り消し"),
        "incidents.outside.record": _("システム外での報告を記録"),
        "incidents.export.read": _("報告を書き出し"),
    }

    def ready(self) -> None:
        from mamoru.incidents.ui import shell  # noqa: F401 - menu entries and home items
