from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamoru.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the incident items of the home page's "what needs attention".
        from mamoru.incidents.ui import attention  # noqa: F401
