"""Background work of the audit log: the periodic signed checkpoint of the chain."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from mamoru.audit.checkpoints import checkpoint_write
from mamoru.core.scheduler import periodic


@task()
def audit_checkpoint() -> int:
    """Write a signed checkpoint of the chain to the log and the checkpoint file; returns
    the number of entries it vouches for. Safe to run at any time, as often as wanted."""
    return checkpoint_write().count


periodic(
    audit_checkpoint,
    every=timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES),
    name="audit.checkpoint",
    description="監査ログの検査点（件数と先頭ダイジェストの署名）を外部に記録",
)
