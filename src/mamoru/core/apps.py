from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mamoru.core"
    label = "mamoru_core"
    default_auto_field = "django.db.models.BigAutoField"
