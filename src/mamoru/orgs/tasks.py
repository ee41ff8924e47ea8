"""Background tasks of the organisations app."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import OperationalError
from django_tasks import TaskContext, task

from mamoru.core.progress import report_progress
from mamoru.orgs.loader import BUNDLED_LIST, OrganisationListError, read_local_governments
from mamoru.orgs.principal import System
from mamoru.orgs.services import organisations_import

ATTEMPTS = 3


@task(takes_context=True)
def import_organisations_task(context: TaskContext, path: str | None = None) -> dict[str, int]:
    """Validate the list of local governments at ``path`` (default: the bundled one) and
    import it, reporting progress under the task's id.

    Idempotent (the import creates or updates by code, in one transaction), so a task
    marked failed after its worker died can simply be enqueued again. A bad list fails
    the task without changing anything; a locked or dropped database is retried here.
    """
    task_id = str(context.task_result.id)
    name = "orgs.import_organisations"
    report_progress(task_id=task_id, task_name=name, done=0, message="一覧を検証しています")
    try:
        rows = read_local_governments(Path(path) if path else BUNDLED_LIST)
    except OrganisationListError as exc:
        shown = "; ".join(exc.errors[:5]) + (" …" if len(exc.errors) > 5 else "")
        report_progress(
            task_id=task_id, done=0, message=f"{len(exc.errors)}件の誤りのため中止: {shown}"
        )
        raise
    report_progress(task_id=task_id, done=0, total=len(rows), message="団体を取り込んでいます")
    for attempt in range(1, ATTEMPTS + 1):
        try:
            summary = organisations_import(principal=System("import-organisations task"), rows=rows)
            break
        except OperationalError:
            if attempt == ATTEMPTS:
                raise
            time.sleep(attempt)
    report_progress(
        task_id=task_id,
        done=len(rows),
        total=len(rows),
        message=f"完了: 新規 {summary.created}、更新 {summary.updated}、変更なし {summary.unchanged}",
    )
    return {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}
