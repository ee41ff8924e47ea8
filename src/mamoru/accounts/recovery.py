"""Recovery codes: generation, normalisation and digests (no database access)."""

from __future__ import annotations

import base64
import hashlib
import secrets

RECOVERY_CODE_COUNT = 10
_CODE_BYTES = 10  # 80 bits: 16 base32 characters, beyond any offline guessing


def recovery_code_new() -> str:
    """A fresh code such as ``k3jd-9xq2-…``: lowercase base32 in four groups of four."""
    raw = base64.b32encode(secrets.token_bytes(_CODE_BYTES)).decode().lower()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def recovery_code_normalise(code: str) -> str:
    """What a person types, without spaces, hyphens or case."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_digest(code: str) -> str:
    return hashlib.sha256(recovery_code_normalise(code).encode()).hexdigest()
