from __future__ import annotations

import base64
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from mamoru.accounts.models import RecoveryCode, TotpDevice, User
from mamoru.accounts.recovery import recovery_code_digest
from mamoru.accounts.selectors import mfa_required_for
from mamoru.audit.models import AuditEvent
from mamoru.testing import PASSWORD, Cast, SignIn, totp_device_for, totp_now

SETUP = "/accounts/mfa/setup/"
VERIFY = "/accounts/mfa/verify/"
CODE = re.compile(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>")


def set_up_mfa(client: Client, user: User) -> tuple[TotpDevice, list[str]]:
    client.get(SETUP)
    device = TotpDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"otp_token": totp_now(device)})
    assert response.status_code == 200
    return device, CODE.findall(response.content.decode())


def test_mfa_is_required_for_admins_national_and_prefectural_staff(cast: Cast) -> None:
    required = {name for name in ("chiyoda", "tokyo", "osaka", "nation", "ppc")}
    for name in required:
        assert mfa_required_for(user=getattr(cast, name)), name
    for name in ("chiyoda_viewer", "hachioji", "osaka_city", "outsider"):
        assert not mfa_required_for(user=getattr(cast, name)), name


def test_a_setting_requires_mfa_for_everyone(
    cast: Cast, settings: object, signed_in: SignIn
) -> None:
    settings.MFA_REQUIRED_FOR_ALL = True  # type: ignore[attr-defined]
    assert mfa_required_for(user=cast.outsider)
    response = signed_in(cast.outsider, mfa=False).get("/accounts/settings/")
    assert response["Location"].startswith(SETUP)


def test_the_local_demo_may_turn_enforcement_off(
    cast: Cast, settings: object, signed_in: SignIn
) -> None:
    settings.MFA_ENFORCED = False  # type: ignore[attr-defined]
    assert not mfa_required_for(user=cast.chiyoda)
    assert signed_in(cast.chiyoda, mfa=False).get("/accounts/settings/").status_code == 200


def test_an_admin_without_a_device_is_sent_to_setup_from_every_page(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Faccounts%2Fsettings%2F"
    assert client.post("/accounts/switch/", {"organisation": "131016"}).status_code == 302


def test_the_setup_page_draws_the_qr_code_itself_and_shows_the_secret(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    response = client.get(SETUP)
    body = response.content.decode()
    device = TotpDevice.objects.get(user=cast.chiyoda, confirmed=False)
    assert response.status_code == 200
    assert "<svg" in body
    assert "<path" in body
    assert base64.b32encode(device.bin_key).decode() in body
    # Nothing is fetched from elsewhere and nothing inline needs a CSP exception.
    assert not re.search(r'src="(https?:)?//', body)
    assert "<script>" not in body
    assert "style=" not in body
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    # Reloading keeps the same secret, so a half-scanned code stays valid.
    client.get(SETUP)
    assert TotpDevice.objects.filter(user=cast.chiyoda).count() == 1


def test_a_wrong_confirmation_code_does_not_enable_mfa(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    client.get(SETUP)
    response = client.post(SETUP, {"otp_token": "000000"})
    assert "確認コードが正しくありません" in response.content.decode()
    assert not TotpDevice.objects.filter(user=cast.chiyoda, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="accounts.mfa.enable", outcome="failure").count() == 1


def test_confirming_enables_mfa_and_shows_ten_recovery_codes_stored_only_hashed(
    cast: Cast,
    signed_in: SignIn,
) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    _, codes = set_up_mfa(client, cast.chiyoda)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = set(
        RecoveryCode.objects.filter(device__user=cast.chiyoda).values_list("digest", flat=True)
    )
    assert stored == {recovery_code_digest(c) for c in codes}
    assert not stored & set(codes)
    # The session that set it up counts as verified.
    assert client.get("/accounts/settings/").status_code == 200


def test_verifying_with_a_totp_code_opens_the_pages(cast: Cast, signed_in: SignIn) -> None:
    device = totp_device_for(cast.chiyoda)
    client = signed_in(cast.chiyoda, mfa=False)
    assert client.get("/accounts/settings/")["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"otp_token": totp_now(device), "next": "/accounts/settings/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    assert client.get("/accounts/settings/").status_code == 200
    event = AuditEvent.objects.filter(action="accounts.mfa.verify").last()
    assert event is not None
    assert event.outcome == "success"


def test_a_totp_code_is_accepted_only_once(cast: Cast, signed_in: SignIn) -> None:
    device = totp_device_for(cast.chiyoda)
    code = totp_now(device)
    assert signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": code}).status_code == 302
    replay = signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": code})
    assert replay.status_code == 200
    assert "確認コードが正しくありません" in replay.content.decode()


def test_a_recovery_code_works_once(cast: Cast, signed_in: SignIn) -> None:
    _, codes = set_up_mfa(signed_in(cast.chiyoda, mfa=False), cast.chiyoda)
    first = signed_in(cast.chiyoda, mfa=False)
    assert first.post(VERIFY, {"otp_token": codes[3].upper()}).status_code == 302
    assert first.get("/accounts/settings/").status_code == 200
    again = signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": codes[3]})
    assert again.status_code == 200
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1


def test_someone_with_mfa_must_verify_even_when_not_required(cast: Cast, signed_in: SignIn) -> None:
    totp_device_for(cast.hachioji)
    response = signed_in(cast.hachioji, mfa=False).get("/accounts/settings/")
    assert response["Location"].startswith(VERIFY)


def test_the_login_and_mfa_pages_stay_open_before_verification(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    assert client.get(SETUP).status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_an_unverified_session_gets_403_from_the_api(cast: Cast, signed_in: SignIn) -> None:
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from mamoru.accounts.middleware import MfaRequiredMiddleware

    class Probe(APIView):
        def get(self, request: object) -> Response:
            return Response({})

    client = signed_in(cast.chiyoda, mfa=False)
    request = client.get("/accounts/settings/").wsgi_request
    middleware = MfaRequiredMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    response = middleware.process_view(request, Probe.as_view(), (), {})
    assert response is not None
    assert response.status_code == 403
    assert "二要素認証" in json.loads(response.content)["detail"]


def test_disabling_needs_the_password(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.hachioji)
    refused = client.post("/accounts/mfa/disable/", {"password": "wrong"})
    assert "パスワードが正しくありません" in refused.content.decode()
    assert TotpDevice.objects.filter(user=cast.hachioji).exists()
    done = client.post("/accounts/mfa/disable/", {"password": PASSWORD})
    assert done.status_code == 302
    assert not TotpDevice.objects.filter(user=cast.hachioji).exists()
    assert AuditEvent.objects.filter(
        action="accounts.mfa.disable", actor_id=cast.hachioji.pk
    ).exists()


def test_an_admin_who_disables_is_sent_straight_back_to_setup(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    response = client.post("/accounts/mfa/disable/", {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:mfa_setup")
    assert client.get("/accounts/settings/")["Location"].startswith(SETUP)


def test_regenerating_recovery_codes_needs_the_password_and_replaces_them(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    _, old = set_up_mfa(client, cast.chiyoda)
    assert (
        "パスワードが正しくありません"
        in client.post("/accounts/mfa/recovery-codes/", {"password": "wrong"}).content.decode()
    )
    response = client.post("/accounts/mfa/recovery-codes/", {"password": PASSWORD})
    new = CODE.findall(response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": old[0]}).status_code == 200
    assert signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": new[0]}).status_code == 302


@pytest.mark.django_db
def test_seeds_and_recovery_codes_never_enter_the_audit_log(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda, mfa=False)
    device, codes = set_up_mfa(client, cast.chiyoda)
    signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": codes[0]})
    signed_in(cast.chiyoda, mfa=False).post(VERIFY, {"otp_token": "123456"})
    regenerated = CODE.findall(
        client.post("/accounts/mfa/recovery-codes/", {"password": PASSWORD}).content.decode()
    )
    client.post("/accounts/mfa/disable/", {"password": PASSWORD})
    secrets = [
        device.bin_key.hex(),
        device.encrypted_key,
        base64.b32encode(device.bin_key).decode(),
        *codes,
        *regenerated,
    ]
    secrets += [recovery_code_digest(c) for c in codes]
    rows = list(AuditEvent.objects.filter(actor_id=cast.chiyoda.pk))
    actions = {(e.action, e.outcome) for e in rows}
    assert {
        ("accounts.mfa.enable", "success"),
        ("accounts.mfa.verify", "success"),
        ("accounts.mfa.verify", "failure"),
    } <= actions
    assert ("accounts.mfa.disable", "success") in actions
    dump = " ".join(f"{e.target} {e.details}" for e in rows).lower()
    for secret in secrets:
        assert secret.lower() not in dump
    assert PASSWORD not in dump


def test_guessing_totp_codes_is_throttled(cast: Cast, signed_in: SignIn) -> None:
    device = totp_device_for(cast.chiyoda)
    client = signed_in(cast.chiyoda, mfa=False)
    client.post(VERIFY, {"otp_token": "000000" if totp_now(device) != "000000" else "111111"})
    # Right after a wrong guess even the right code waits (django-otp's back-off).
    assert client.post(VERIFY, {"otp_token": totp_now(device)}).status_code == 200
    assert client.get("/accounts/settings/").status_code == 302
