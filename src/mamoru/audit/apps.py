from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "mamoru.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
    absent_rooms = {
        "api": "監査ログは団体の管理者が画面で閲覧し、運用者は `mamoru audit` で検証する",
    }
    audit_actions = {
        "audit.log.read": _("監査ログを閲覧"),
        "core.tasks.recover": _("停止したワーカーのジョブを失敗として記録"),
    }

    def ready(self) -> None:
        from mamoru.audit.maintenance import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="mamoru.audit.sqlite")
        from mamoru.audit.receivers import record_recovered_tasks
        from mamoru.core.tasks import tasks_recovered

        tasks_recovered.connect(record_recovered_tasks, dispatch_uid="mamoru.audit.tasks")
