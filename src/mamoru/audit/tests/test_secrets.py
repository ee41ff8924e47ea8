"""Passwords, tokens, TOTP seeds and recovery codes never enter the audit log."""

from __future__ import annotations

import json

import pytest

from mamoru.audit.models import AuditEvent
from mamoru.audit.services import REDACTED, audit_record, scrub, scrub_text

API_TOKEN = "mmr_Q2hpeW9kYS1rdS1hZG1pbi10b2tlbg_x-9Z"
TOTP_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32
TOTP_KEY_HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"  # django-otp stores hex
RECOVERY_CODES = ["k7xq2mz9", "p4wn8rt3"]
PASSWORD = "correct horse battery staple 42"

SECRETS = [API_TOKEN, TOTP_SEED, TOTP_KEY_HEX, *RECOVERY_CODES, PASSWORD]


def stored_text(event: AuditEvent) -> str:
    row = AuditEvent.objects.get(pk=event.pk)
    return json.dumps(row.details, ensure_ascii=False) + row.target


@pytest.mark.django_db
def test_no_secret_given_under_a_secret_key_is_stored_at_any_depth() -> None:
    event = audit_record(
        action="accounts.mfa.enrol",
        details={
            "password": PASSWORD,
            "new-password": PASSWORD,
            "Token": API_TOKEN,
            "device": {"totp_seed": TOTP_SEED, "otp_key": TOTP_KEY_HEX},
            "recovery_codes": RECOVERY_CODES,
            "history": [{"api_key": API_TOKEN}, {"X-Session-Cookie": "abc"}],
            "nested": {"deeper": {"secret": "s3cret-value"}},
        },
    )
    text = stored_text(event)
    for secret in [*SECRETS, "s3cret-value", "abc"]:
        assert secret not in text
    assert event.details["device"] == {"totp_seed": REDACTED, "otp_key": REDACTED}
    assert event.details["history"] == [{"api_key": REDACTED}, {"X-Session-Cookie": REDACTED}]


@pytest.mark.django_db
def test_values_that_look_like_credentials_are_redacted_under_innocent_keys() -> None:
    event = audit_record(
        action="accounts.token.create",
        target=f"issued {API_TOKEN}",
        details={
            "note": f"the user pasted {API_TOKEN} into the form",
            "value": TOTP_SEED,
            "items": [TOTP_KEY_HEX, "plain words stay"],
        },
    )
    text = stored_text(event)
    for secret in (API_TOKEN, TOTP_SEED, TOTP_KEY_HEX):
        assert secret not in text
    assert event.target == f"issued {REDACTED}"
    assert event.details["note"] == f"the user pasted {REDACTED} into the form"
    assert event.details["items"] == [REDACTED, "plain words stay"]


def test_ordinary_values_are_kept() -> None:
    details = {
        "organisation_code": "131016",
        "action": "organisations_import_everything",  # long, but no digit: not a credential
        "task_id": "3f2b8c1e-9a4d-4f6e-8b7a-1c2d3e4f5a6b",  # a UUID is an identifier
        "counts": {"created": 1788, "updated": 0},
        "name": "千代田区",
    }
    assert scrub(details) == details


@pytest.mark.parametrize(
    "text",
    [
        "mmr_abcdefghijklmnopqrstu",  # prefix and 21 characters
        "Bearer abcDEF123ghiJKL456mnoPQR",
        "seed=JBSWY3DPEHPK3PXP7777",
        "dGhpcyBpcyBhIHNlY3JldCB0b2tlbg==",  # base64 with padding
    ],
)
def test_scrub_text_redacts_credential_shapes(text: str) -> None:
    assert REDACTED in scrub_text(text)


def test_short_codes_under_innocent_keys_are_kept_because_they_cannot_be_told_apart() -> None:
    # A recovery code is only safe from the log when it is passed under a secret key:
    # eight characters look like any other word. Services pass them under such keys.
    assert scrub({"recovery_codes": ["k7xq2mz9"], "word": "k7xq2mz9"}) == {
        "recovery_codes": REDACTED,
        "word": "k7xq2mz9",
    }
