"""Test helpers for signing in people who must use a second factor.

Administrators and national or prefectural staff are sent to the MFA pages until they
verify a second factor; a page test that only needs them signed in calls
``login_with_mfa(client, user)`` instead of ``client.force_login(user)``.
"""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
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


def login_with_mfa(client: Client, user: User) -> TOTPDevice:
    """Sign ``user`` in on ``client`` with a verified second factor."""
    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
