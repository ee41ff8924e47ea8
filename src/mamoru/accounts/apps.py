from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mamoru.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    absent_rooms = {
        "api": "利用者はいずれかの団体として API を使う（/api/v1/me/ や所属者の API は orgs にある）",
        "tasks": "本人の操作だけを扱い、後で実行する処理はない",
    }
    audit_actions = {
        "accounts.login": _("ログイン"),
        "accounts.logout": _("ログアウト"),
        "accounts.user.create": _("利用者を作成"),
        "accounts.profile.update": _("プロフィールを変更"),
        "accounts.password.change": _("パスワードを変更"),
        "accounts.password.reset": _("パスワードを再設定"),
        "accounts.mfa.setup_start": _("二要素認証の設定を開始"),
        "accounts.mfa.enable": _("二要素認証を有効化"),
        "accounts.mfa.verify": _("二要素認証の確認"),
        "accounts.mfa.disable": _("二要素認証を解除"),
        "accounts.mfa.recovery_regenerate": _("リカバリーコードを再発行"),
        "accounts.otp_key.rotate": _("認証アプリの秘密鍵を新しい暗号鍵で再暗号化"),
    }
