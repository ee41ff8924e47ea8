from django.apps import AppConfig


class AsmConfig(AppConfig):
    name = "mamoru.asm"
    label = "asm"
    default_auto_field = "django.db.models.BigAutoField"
