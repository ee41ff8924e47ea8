from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "mamoru.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mamoru.audit.maintenance import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="mamoru.audit.sqlite")
