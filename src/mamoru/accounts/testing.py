"""Test helpers for people who use a second factor: their authenticator and its code.

A page test that only needs someone signed in with a verified factor calls
``mamoru.core.testing.login_verified(client, user)`` instead of ``client.force_login(user)``.
"""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mamoru.accounts.models import User


def totp_device_for(user: User) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (the one they have, or a new one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def totp_now(device: TOTPDevice) -> str:
    """The code the person's authenticator shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"
