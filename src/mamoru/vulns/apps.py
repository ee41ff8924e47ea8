from django.apps import AppConfig


class VulnsConfig(AppConfig):
    name = "mamoru.vulns"
    label = "vulns"
    default_auto_field = "django.db.models.BigAutoField"
