"""Background work of the advisories app."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mamoru.advisories.services import advisories_retarget
from mamoru.core.scheduler import periodic


@task()
def retarget_advisories() -> int:
    """Deliver recent exposure-targeted advisories to organisations found exposed since
    (nothing to do until the attack-surface diagnosis exposes its selector)."""
    return advisories_retarget()


periodic(
    retarget_advisories,
    every=timedelta(hours=1),
    name="advisories.retarget",
    description="診断で新たに該当した団体への注意喚起の配信",
)
