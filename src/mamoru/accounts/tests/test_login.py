from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client, override_settings
from django.urls import reverse

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

from mamoru.audit.models import AuditEvent
from mamoru.testing import PASSWORD, Cast

LOGIN = "/accounts/login/"


def attempt(client: Client, username: str, password: str) -> _MonkeyPatchedWSGIResponse:
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_login_page_is_in_japanese_with_autocomplete_hints(cast: Cast) -> None:
    response = Client().get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in body
    assert body.count("<h1") == 1
    assert "利用者名" in body
    assert "パスワード" in body
    assert 'autocomplete="username"' in body
    assert 'autocomplete="current-password"' in body


def test_it_signs_in_with_the_right_password_and_rotates_the_session(cast: Cast) -> None:
    client = Client()
    client.get(LOGIN)
    before = client.session.session_key
    response = client.post(LOGIN, {"username": "hachioji", "password": PASSWORD, "next": "/x/"})
    assert response.status_code == 302
    assert response["Location"] == "/x/"
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == cast.hachioji.pk
    event = AuditEvent.objects.filter(action="accounts.login").last()
    assert event is not None
    assert event.outcome == "success"
    assert event.actor_id == cast.hachioji.pk


def test_it_refuses_a_wrong_password_in_japanese_without_saying_which_part(cast: Cast) -> None:
    client = Client()
    wrong_password = client.post(LOGIN, {"username": "hachioji", "password": "nope"})
    no_such_user = client.post(LOGIN, {"username": "nobody", "password": "nope"})
    assert wrong_password.status_code == no_such_user.status_code == 200
    assert "利用者名またはパスワードが正しくありません" in wrong_password.content.decode()
    assert "利用者名またはパスワードが正しくありません" in no_such_user.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="accounts.login", outcome="failure")
    assert failures.count() == 2
    assert all("nope" not in str(e.details) for e in failures)


def test_it_ignores_a_next_url_to_another_site(cast: Cast) -> None:
    response = Client().post(
        LOGIN, {"username": "hachioji", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_it_locks_out_after_five_failures_even_with_the_right_password(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        attempt(client, "hachioji", "wrong password")
    sixth = attempt(client, "hachioji", PASSWORD)
    assert sixth.status_code == 429
    assert "ログインを一時停止しています" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_name_and_address(cast: Cast) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        attempt(attacker, "hachioji", "wrong password")
    assert attempt(attacker, "hachioji", PASSWORD).status_code == 429
    # The same person from their office, and another person from the attacker's address.
    office = Client(REMOTE_ADDR="198.51.100.7")
    assert attempt(office, "hachioji", PASSWORD).status_code == 302
    neighbour = Client(REMOTE_ADDR="203.0.113.9")
    assert attempt(neighbour, "osaka_city", PASSWORD).status_code == 302


def test_logout_is_post_only_and_ends_the_session(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.hachioji)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.logout", actor_id=cast.hachioji.pk).exists()


@pytest.mark.parametrize("who", ["chiyoda", "tokyo", "nation"])
def test_people_who_must_use_mfa_go_to_setup_after_the_password(cast: Cast, who: str) -> None:
    response = attempt(Client(), who, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))


@override_settings(MAMORU_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_attempt_is_recorded_from_the_forwarded_address(
    cast: Cast,
) -> None:
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.23")
    attempt(client, "hachioji", "wrong password")
    event = AuditEvent.objects.filter(action="accounts.login").latest("id")
    assert event.ip_address == "198.51.100.23"
