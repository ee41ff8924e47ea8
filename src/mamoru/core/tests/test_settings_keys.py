"""Production refuses to start without real keys; development says which keys are its own.

Each case loads ``mamoru/settings.py`` afresh as a module of its own, with only the
environment the case gives (the running settings are not touched).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from cryptography.fernet import Fernet

import mamoru

SETTINGS = Path(mamoru.__file__).parent / "settings.py"
REAL = "k" * 8 + "9Xq2-real-random-value-from-a-vault-7h"  # 45 characters
OTP_KEY = Fernet.generate_key().decode()
PRODUCTION = {
    "MAMORU_ENV": "production",
    "MAMORU_SECRET_KEY": REAL,
    "MAMORU_ALLOWED_HOSTS": "mamoru.example.lg.jp",
    "MAMORU_OTP_ENCRYPTION_KEYS": OTP_KEY,
}


def load(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> ModuleType:
    for name in list(os.environ):
        if name.startswith("MAMORU_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("mamoru_settings_probe", SETTINGS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_production_starts_with_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, PRODUCTION)
    assert settings.AUDIT_KEY == REAL  # the secret key, when no audit key of its own
    assert settings.OTP_ENCRYPTION_KEYS == [OTP_KEY]
    assert settings.DEVELOPMENT_KEYS == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAMORU_SECRET_KEY": ""}, "MAMORU_SECRET_KEY .* is required"),
        (
            {"MAMORU_SECRET_KEY": "insecure-development-key-do-not-use-in-production-" + "x" * 20},
            "MAMORU_SECRET_KEY is the public development key",
        ),
        ({"MAMORU_SECRET_KEY": "short-but-not-empty"}, "MAMORU_SECRET_KEY is shorter than 32"),
        ({"MAMORU_AUDIT_KEY": "short-audit-key"}, "MAMORU_AUDIT_KEY is shorter than 32"),
        (
            {"MAMORU_AUDIT_KEY": "insecure-development-key-do-not-use-in-production-" + "x" * 20},
            "MAMORU_AUDIT_KEY is the public development key",
        ),
        ({"MAMORU_OTP_ENCRYPTION_KEYS": ""}, "MAMORU_OTP_ENCRYPTION_KEYS .* is required"),
        ({"MAMORU_OTP_ENCRYPTION_KEYS": "not-a-fernet-key"}, "key 1 is not a Fernet key"),
        (
            {"MAMORU_OTP_ENCRYPTION_KEYS": f"{OTP_KEY},{OTP_KEY[:20]}"},
            "key 2 is not a Fernet key",
        ),
    ],
)
def test_production_refuses_a_missing_known_or_short_key(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    with pytest.raises(RuntimeError, match=message):
        load(monkeypatch, {**PRODUCTION, **env})


def test_production_refuses_the_development_otp_key(monkeypatch: pytest.MonkeyPatch) -> None:
    development = load(monkeypatch, {}).OTP_ENCRYPTION_KEYS[0]
    with pytest.raises(RuntimeError, match="public development key"):
        load(monkeypatch, {**PRODUCTION, "MAMORU_OTP_ENCRYPTION_KEYS": development})


def test_keys_may_come_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    new = Fernet.generate_key().decode()
    (tmp_path / "otp").write_text(f"{new},{OTP_KEY}\n")
    (tmp_path / "audit").write_text("a" * 40 + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "MAMORU_OTP_ENCRYPTION_KEYS"}
    settings = load(
        monkeypatch,
        {
            **env,
            "MAMORU_OTP_ENCRYPTION_KEYS_FILE": str(tmp_path / "otp"),
            "MAMORU_AUDIT_KEY_FILE": str(tmp_path / "audit"),
        },
    )
    assert [new, OTP_KEY] == settings.OTP_ENCRYPTION_KEYS
    assert settings.AUDIT_KEY == "a" * 40


def test_development_names_the_development_keys_it_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, {})
    assert settings.DEVELOPMENT_KEYS == [
        "MAMORU_SECRET_KEY",
        "MAMORU_AUDIT_KEY",
        "MAMORU_OTP_ENCRYPTION_KEYS",
    ]
    assert Fernet(settings.OTP_ENCRYPTION_KEYS[0])  # derived, and a valid key
    assert load(monkeypatch, {"MAMORU_AUDIT_KEY": REAL}).DEVELOPMENT_KEYS == [
        "MAMORU_SECRET_KEY",
        "MAMORU_OTP_ENCRYPTION_KEYS",
    ]
