"""Appending to the audit log. Secrets never enter it: details are scrubbed by key name."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mamoru.audit.models import AuditEvent, AuditHead, Outcome

if TYPE_CHECKING:
    from mamoru.accounts.models import User
    from mamoru.orgs.models import Organisation

GENESIS = "0" * 64
REDACTED = "[redacted]"
# Any detail key containing one of these is never written, whatever its value.
SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "otp",
    "totp",
    "recovery",
    "key",
    "cookie",
    "session",
    "authorization",
)


def scrub(details: Mapping[str, object]) -> dict[str, object]:
    """A copy of ``details`` with every secret-looking key redacted, recursively."""
    clean: dict[str, object] = {}
    for key, value in details.items():
        if any(part in key.lower() for part in SECRET_KEY_PARTS):
            clean[key] = REDACTED
        elif isinstance(value, Mapping):
            clean[key] = scrub(value)
        else:
            clean[key] = value
    return clean


def event_payload(event: AuditEvent) -> bytes:
    """The canonical bytes an entry's digest covers."""
    fields = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "organisation_code": event.organisation_code,
        "action": event.action,
        "target": event.target,
        "outcome": event.outcome,
        "ip_address": event.ip_address,
        "details": event.details,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()


def chain_digest(previous: str, payload: bytes) -> str:
    key = settings.AUDIT_KEY.encode()
    return hmac.new(key, previous.encode() + b"\n" + payload, hashlib.sha256).hexdigest()


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    target: str = "",
    outcome: str = Outcome.SUCCESS,
    ip_address: str | None = None,
    details: Mapping[str, object] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append one entry. Runs in its own atomic block so the chain head is locked briefly."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"digest": GENESIS, "count": 0}
        )
        event = AuditEvent(
            # Microsecond precision is dropped so the payload survives every database backend.
            occurred_at=(occurred_at or timezone.now()).replace(microsecond=0),
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            actor_username=actor.get_username()
            if actor is not None and actor.is_authenticated
            else "",
            organisation_id=organisation.pk if organisation is not None else None,
            organisation_code=organisation.code if organisation is not None else "",
            action=action,
            target=target[:200],
            outcome=outcome,
            ip_address=ip_address,
            details=json.loads(json.dumps(scrub(details or {}), default=str)),
            previous_digest=head.digest,
        )
        event.digest = chain_digest(head.digest, event_payload(event))
        event.save()
        head.digest = event.digest
        head.count += 1
        head.save(update_fields=["digest", "count"])
    return event
