"""Entries of the audit log, written through ``audit_record`` so the chain stays whole."""

from __future__ import annotations

from typing import Any

import factory

from mamoru.audit.models import AuditEvent
from mamoru.audit.services import audit_record


class AuditEventFactory(factory.Factory):
    class Meta:
        model = AuditEvent

    action = "orgs.token.create"
    actor = None
    organisation = None
    target = ""
    details = factory.LazyFunction(dict)

    @classmethod
    def _create(cls, model_class: type[AuditEvent], *args: Any, **kwargs: Any) -> AuditEvent:
        return audit_record(**kwargs)
