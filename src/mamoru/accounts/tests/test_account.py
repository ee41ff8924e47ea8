from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.orgs.middleware import SESSION_KEY
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.services import api_token_create, membership_add
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, PASSWORD, Cast, SignIn

SETTINGS = "/accounts/settings/"
PASSWORD_PAGE = "/accounts/settings/password/"
TOKENS = "/accounts/settings/tokens/"


def test_the_settings_page_lists_only_ones_own_tokens(cast: Cast, signed_in: SignIn) -> None:
    api_token_create(
        principal=System("test set-up"),
        user=cast.hachioji,
        organisation=cast.org(HACHIOJI),
        name="hachioji-sync",
        permissions=None,
        expires_in_days=None,
    )
    settings_page = signed_in(cast.hachioji, mfa=False).get(SETTINGS).content.decode()
    assert 'href="/accounts/settings/tokens/"' in settings_page
    mine = signed_in(cast.hachioji, mfa=False).get(TOKENS).content.decode()
    theirs = signed_in(cast.osaka_city, mfa=False).get(TOKENS).content.decode()
    assert "hachioji-sync" in mine
    assert "hachioji-sync" not in theirs
    assert mine.count("<h1") == 1


def test_the_settings_page_refuses_anonymous_visitors() -> None:
    response = Client().get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_profile_is_updated_and_audited(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.hachioji, mfa=False)
    response = client.post(
        "/accounts/settings/profile/", {"display_name": "八王子 太郎", "email": "t@example.jp"}
    )
    assert response.status_code == 302
    cast.hachioji.refresh_from_db()
    assert cast.hachioji.display_name == "八王子 太郎"
    event = AuditEvent.objects.get(action="accounts.profile.update")
    assert event.details == {"fields": ["display_name", "email"]}


def test_a_bad_email_is_refused_in_japanese(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.hachioji, mfa=False).post(
        "/accounts/settings/profile/", {"display_name": "", "email": "not-an-address"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "有効なメールアドレスを入力してください" in body
    assert 'aria-describedby="id_email_error"' in body


@pytest.mark.parametrize(
    ("new_password", "message"),
    [("Short1!", "このパスワードは短すぎます"), ("password1234", "このパスワードは一般的すぎます")],
)
def test_weak_passwords_are_refused_with_japanese_messages(
    cast: Cast, new_password: str, message: str, signed_in: SignIn
) -> None:
    response = signed_in(cast.hachioji, mfa=False).post(
        PASSWORD_PAGE,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.hachioji.refresh_from_db()
    assert cast.hachioji.check_password(PASSWORD)


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(
    cast: Cast, signed_in: SignIn
) -> None:
    here, elsewhere = signed_in(cast.hachioji, mfa=False), signed_in(cast.hachioji, mfa=False)
    new = "a much longer passphrase 2025"
    response = here.post(
        PASSWORD_PAGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert here.get(SETTINGS).status_code == 200
    assert elsewhere.get(SETTINGS).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password.change").count() == 1
    assert new not in str(AuditEvent.objects.values_list("details", flat=True))


def test_a_wrong_current_password_is_refused(cast: Cast, signed_in: SignIn) -> None:
    new = "a much longer passphrase 2025"
    response = signed_in(cast.hachioji, mfa=False).post(
        PASSWORD_PAGE, {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert "現在のパスワードが正しくありません" in response.content.decode()


def test_a_person_switches_into_another_of_their_organisations(
    cast: Cast, signed_in: SignIn
) -> None:
    membership_add(
        principal=System("test set-up"),
        user=cast.hachioji,
        organisation=cast.org(CHIYODA),
        role=Role.VIEWER,
    )
    client = signed_in(cast.hachioji, mfa=False)
    response = client.post("/accounts/switch/", {"organisation": CHIYODA, "next": SETTINGS})
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    assert client.session[SESSION_KEY] == CHIYODA
    event = AuditEvent.objects.get(action="orgs.switch")
    assert event.organisation_code == CHIYODA
    assert event.actor_id == cast.hachioji.pk


@pytest.mark.parametrize("code", [CHIYODA, OSAKA_CITY, "130001", "MIC", "nonexistent"])
def test_a_person_cannot_switch_into_an_organisation_they_may_not_act_in(
    cast: Cast, code: str, signed_in: SignIn
) -> None:
    client = signed_in(cast.hachioji, mfa=False)
    assert client.post("/accounts/switch/", {"organisation": code}).status_code == 404
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action="orgs.switch").exists()


def test_a_supervisor_cannot_switch_into_a_municipality_it_supervises(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.tokyo)
    assert client.post("/accounts/switch/", {"organisation": CHIYODA}).status_code == 404


def test_switching_is_post_only(cast: Cast, signed_in: SignIn) -> None:
    assert signed_in(cast.hachioji, mfa=False).get("/accounts/switch/").status_code == 405


def test_the_cli_creates_a_person_with_a_password_from_stdin(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a much longer passphrase 2025\n"))
    out = StringIO()
    call_command(
        "user", "create", "suzuki", "--email", "s@example.jp", "--password-stdin", stdout=out
    )
    user = User.objects.get(username="suzuki")
    assert user.check_password("a much longer passphrase 2025")
    assert user.email == "s@example.jp"
    assert "suzuki" in out.getvalue()
    assert AuditEvent.objects.filter(action="accounts.user.create").exists()


def test_the_cli_without_a_password_leaves_it_unusable_and_says_so(cast: Cast) -> None:
    out = StringIO()
    call_command("user", "create", "sato", stdout=out)
    assert not User.objects.get(username="sato").has_usable_password()
    assert "ログインできません" in out.getvalue()


def test_the_cli_refuses_a_weak_password_in_japanese(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="短すぎます"):
        call_command("user", "create", "tanaka", "--password-stdin", stdout=StringIO())
    assert not User.objects.filter(username="tanaka").exists()


def test_the_cli_refuses_a_taken_user_name(cast: Cast) -> None:
    with pytest.raises(CommandError, match="既に登録済み"):
        call_command("user", "create", "hachioji", stdout=StringIO())
