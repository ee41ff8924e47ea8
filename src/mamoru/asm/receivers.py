"""What the attack-surface app does when the layers below it speak.

``vulns.signals.vulnerabilities_added`` (after an import committed): raise the exposure
alerts in a task, enqueued when the surrounding transaction commits — within a minute of
the import on any worker (the database worker polls every second).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from mamoru.vulns.signals import vulnerabilities_added


@receiver(vulnerabilities_added, dispatch_uid="asm.exposure-alerts")
def vulnerabilities_were_added(
    sender: Any, kev_ids: list[str], vulnerability_ids: list[str], **kwargs: Any
) -> None:
    from mamoru.asm.tasks import raise_exposure_alerts

    transaction.on_commit(lambda: raise_exposure_alerts.enqueue(kev_ids, vulnerability_ids))
