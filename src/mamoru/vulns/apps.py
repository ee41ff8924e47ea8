from django.apps import AppConfig


class VulnsConfig(AppConfig):
    name = "mamoru.vulns"
    label = "vulns"
    default_auto_field = "django.db.models.BigAutoField"
    absent_rooms = {
        "api": "脆弱性情報は攻撃対象領域（asm）の画面と API で、検出結果とともに示す",
        "ui": "脆弱性情報は攻撃対象領域（asm）の画面で、検出結果とともに示す",
    }
