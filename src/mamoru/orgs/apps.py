from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "mamoru.orgs"
    label = "orgs"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "orgs.organisations.import": _("団体の一覧を取り込み"),
        "orgs.members.read": _("職員の一覧を閲覧"),
        "orgs.organisation.read": _("団体の情報を閲覧"),
        "orgs.membership.add": _("職員を追加"),
        "orgs.membership.change": _("職員の役割を変更"),
        "orgs.membership.remove": _("職員を削除"),
        "orgs.invitation.create": _("職員を招待"),
        "orgs.invitation.revoke": _("招待を取り消し"),
        "orgs.invitation.accept": _("招待を受けて参加"),
        "orgs.admin.appoint": _("都道府県が最初の管理者を任命"),
        "orgs.invitations.read": _("招待の一覧を閲覧"),
        "orgs.grant.create": _("委任を設定"),
        "orgs.grant.revoke": _("委任を取り消し"),
        "orgs.token.create": _("APIトークンを発行"),
        "orgs.token.revoke": _("APIトークンを失効"),
        "orgs.switch": _("操作する団体を切り替え"),
        "orgs.organisation.contact_update": _("インシデントの連絡窓口を変更"),
    }

    def ready(self) -> None:
        from mamoru.orgs.ui import shell  # noqa: F401 - registers menu entries and panels
