from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoriesConfig(AppConfig):
    name = "mamoru.advisories"
    label = "advisories"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "advisories.advisory.publish": _("注意喚起を発出"),
        "advisories.advisory.import": _("注意喚起をSTIXから取り込み"),
        "advisories.advisory.export": _("注意喚起を書き出し"),
        "advisories.advisory.acknowledge": _("注意喚起の受領を確認"),
        "advisories.advisory.answer": _("注意喚起に回答"),
        "advisories.state.read": _("注意喚起への回答状況を閲覧"),
        "advisories.share.create": _("情報を共有"),
        "advisories.share.read": _("共有された情報を閲覧"),
        "advisories.attachment.read": _("共有された添付ファイルを取得"),
        "advisories.taxii.read": _("TAXIIで注意喚起を取得"),
    }

    def ready(self) -> None:
        from mamoru.advisories.ui import shell  # noqa: F401 - menu entries and home items
