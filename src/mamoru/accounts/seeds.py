"""Authenticator seeds encrypted at rest (no database access).

A TOTP seed is a shared secret: whoever reads it computes the person's codes forever. So
the database keeps only a Fernet token of it (AES-128-CBC with an HMAC-SHA256 tag, from
``cryptography``), under the keys of ``settings.OTP_ENCRYPTION_KEYS``
(``MAMORU_OTP_ENCRYPTION_KEYS``): the first key encrypts, every key decrypts
(``MultiFernet``), so keys rotate without a moment when a seed cannot be read:

1. put a new key first and keep the old one after it;
2. ``mamoru accounts rotate-otp-key`` encrypts every seed again under the new key;
3. remove the old key.

A database dump, a backup or a replica then holds nothing that computes a code without
the key, which lives in the environment (or a file) of the application servers only.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEED_BYTES = 20  # 160 bits, RFC 4226's recommendation (and django-otp's default)


class SeedUndecryptable(ImproperlyConfigured):
    """No key of ``OTP_ENCRYPTION_KEYS`` opens this seed: a key was removed too early,
    or the ciphertext was altered."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.OTP_ENCRYPTION_KEYS))


def seed_encrypt(seed: bytes) -> str:
    """The ciphertext of ``seed`` under the first (newest) key, as stored text."""
    return _current().encrypt(seed).decode("ascii")


def seed_decrypt(ciphertext: str) -> bytes:
    """The seed inside ``ciphertext``; ``SeedUndecryptable`` when no key opens it."""
    try:
        return _current().decrypt(ciphertext.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SeedUndecryptable(
            "二要素認証の秘密鍵を復号できません。MAMORU_OTP_ENCRYPTION_KEYS に、この鍵を"
            "暗号化した鍵が含まれているか確認してください。"
        ) from exc


def seed_reencrypt(ciphertext: str) -> str:
    """``ciphertext`` encrypted again under the newest key (the seed itself unchanged)."""
    try:
        return _current().rotate(ciphertext.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SeedUndecryptable("二要素認証の秘密鍵を復号できません。") from exc


def seed_new_encrypted() -> str:
    """A fresh random seed, encrypted: the default of a new authenticator."""
    return seed_encrypt(secrets.token_bytes(SEED_BYTES))


def fernet_key_new() -> str:
    """A new random key for ``MAMORU_OTP_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode("ascii")
