"""Django's ``flush``, allowed to empty the append-only audit table too.

``flush`` wipes every table (an operator's explicit reset; the test suite also runs it
between transactional tests), so it is the one command that enters audit maintenance.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from mamoru.audit.maintenance import audit_maintenance


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with audit_maintenance(options["database"]):
            super().handle(**options)
