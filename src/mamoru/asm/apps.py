from django.apps import AppConfig


class AsmConfig(AppConfig):
    name = "mamoru.asm"
    label = "asm"
    default_auto_field = "django.db.models.BigAutoField"
    # The scanning engine (``asm/engine``) and ``mamoru scan`` exist; the platform around them
    # (assets, scans as jobs, findings, pages) is issue 9.
    absent_rooms = {
        room: "診断エンジン（asm/engine）と `mamoru scan` のみ。資産・診断・検出結果の画面は issue 9"
        for room in ("models", "services", "selectors", "tasks", "api", "ui")
    }
