"""What the audit log records of events sent by the layers below it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mamoru.audit.services import audit_record


def record_recovered_tasks(
    sender: Any, *, task_ids: list[str], older_than: timedelta, **kwargs: Any
) -> None:
    """``mamoru jobs recover`` marked tasks of dead workers failed."""
    audit_record(
        action="core.tasks.recover",
        details={"task_ids": task_ids, "older_than_minutes": older_than.total_seconds() // 60},
    )
