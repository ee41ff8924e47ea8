"""Appending to the audit log.

Call ``audit_record(action=…, actor=…, organisation=…, …)`` from services for every
write, and for every read of sensitive records (member lists, tokens, reports): for
reads, the ``mamoru.audit.reads.audited_read`` decorator wraps a selector.
Inside a request the client address is filled in from ``mamoru.audit.context``.

Secrets never enter the log: ``scrub`` redacts every detail whose key names a secret
(password, token, OTP/TOTP, recovery code, key, cookie, session, …) at any depth, and
every value that *looks like* a credential under any key — an ``mmr_`` API token, or a
long run of base64url/base32/hex characters containing a digit (TOTP seeds,
recovery codes, bearer tokens). ``target`` is scrubbed the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mamoru.audit.context import current_ip_address, normalise_ip
from mamoru.audit.models import AuditEvent, AuditHead, Outcome
from mamoru.core.access import OrganisationRef, PersonRef

GENESIS = "0" * 64
REDACTED = "[redacted]"
# Any detail key containing one of these (case and separators ignored) is never written.
SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "otp",
    "totp",
    "seed",
    "recovery",
    "backupcode",
    "key",
    "cookie",
    "session",
    "authorization",
    "bearer",
    "credential",
    "privatekey",
)
# mamoru API tokens wherever they appear, and bare credential-like runs: 20+ characters
# of the base64url alphabet (which contains base32 and hex) with at least one digit.
# Long plain words and snake_case names have no digit and are kept.
_API_TOKEN = re.compile(r"mmr_[A-Za-z0-9_\-]{20,}")
_CREDENTIAL_RUN = re.compile(
    r"(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-]*[0-9])[A-Za-z0-9_\-]{20,}={0,2}(?![A-Za-z0-9_\-=])"
)
# UUIDs (task and record ids) are identifiers, not credentials.
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _is_secret_key(key: object) -> bool:
    name = re.sub(r"[^a-z]", "", str(key).lower())
    return any(part in name for part in SECRET_KEY_PARTS)


def _redact_credential(match: re.Match[str]) -> str:
    return match.group(0) if _UUID.match(match.group(0)) else REDACTED


def scrub_text(text: str) -> str:
    """``text`` with every credential-looking substring replaced by ``[redacted]``."""
    text = _API_TOKEN.sub(REDACTED, text)
    return _CREDENTIAL_RUN.sub(_redact_credential, text)


def _scrub_value(value: object) -> object:
    if isinstance(value, Mapping):
        return scrub(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub_value(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub(details: Mapping[str, object]) -> dict[str, object]:
    """A copy of ``details`` with secret keys and credential-like values redacted, recursively."""
    return {
        str(key): REDACTED if _is_secret_key(key) else _scrub_value(value)
        for key, value in details.items()
    }


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
    actor: PersonRef | None = None,
    organisation: OrganisationRef | None = None,
    target: str = "",
    outcome: str = Outcome.SUCCESS,
    ip_address: str | None = None,
    details: Mapping[str, object] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append one entry. Runs in its own atomic block so the chain head is locked briefly.

    Values are normalised to what the database gives back (UTC time to the second,
    canonical address text, JSON-clean details) so ``mamoru audit verify`` recomputes
    the same digest on every backend.
    """
    authenticated = actor is not None and actor.is_authenticated
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"digest": GENESIS, "count": 0}
        )
        event = AuditEvent(
            occurred_at=(occurred_at or timezone.now()).astimezone(UTC).replace(microsecond=0),
            actor_id=actor.pk if authenticated and actor is not None else None,
            actor_username=actor.get_username() if authenticated and actor is not None else "",
            organisation_id=organisation.pk if organisation is not None else None,
            organisation_code=organisation.code if organisation is not None else "",
            action=action,
            target=scrub_text(target)[:200],
            outcome=outcome,
            ip_address=normalise_ip(ip_address) if ip_address else current_ip_address(),
            details=json.loads(json.dumps(scrub(details or {}), default=str)),
            previous_digest=head.digest,
        )
        event.digest = chain_digest(head.digest, event_payload(event))
        event.save()
        head.digest = event.digest
        head.count += 1
        head.save(update_fields=["digest", "count"])
    return event
