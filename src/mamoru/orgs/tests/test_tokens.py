from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from mamoru.accounts.models import ApiToken
from mamoru.audit.models import AuditEvent
from mamoru.orgs.authentication import ApiTokenAuthentication
from mamoru.orgs.principal import System
from mamoru.orgs.services import api_token_create, api_token_revoke
from mamoru.testing import CHIYODA, HACHIOJI, Cast

TOKEN = re.compile(r"^mmr_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$")


class Probe(APIView):
    authentication_classes = [ApiTokenAuthentication]

    def get(self, request: Request) -> Response:
        principal = request.principal  # type: ignore[attr-defined]
        return Response(
            {
                "user": request.user.get_username(),
                "org": principal.organisation.code,
                "permissions": sorted(principal.permissions),
            }
        )


def call(plaintext: str | None, header: str = "Bearer") -> Response:
    factory = APIRequestFactory()
    request = (
        factory.get("/probe/", HTTP_AUTHORIZATION=f"{header} {plaintext}")
        if plaintext
        else factory.get("/probe/")
    )
    response: Response = Probe.as_view()(request)
    return response


def issue(cast: Cast, **kwargs: object) -> tuple[ApiToken, str]:
    options: dict[str, object] = {"name": "script", "permissions": None, "expires_in_days": 30}
    options.update(kwargs)
    return api_token_create(
        principal=System("test set-up"),
        user=cast.chiyoda,
        organisation=cast.org(CHIYODA),
        **options,  # type: ignore[arg-type]
    )


def test_a_token_is_returned_once_and_only_its_digest_is_stored(cast: Cast) -> None:
    token, plaintext = issue(cast)
    assert TOKEN.match(plaintext)
    assert token.digest == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.split("_")[1] == token.prefix
    stored = ApiToken.objects.filter(pk=token.pk).values_list().get()
    assert all(plaintext not in str(value) for value in stored)
    assert token.expires_at is not None
    event = AuditEvent.objects.get(action="orgs.token.create")
    assert plaintext not in str(event.details)
    assert token.prefix in str(event.details)


def test_a_token_gets_the_owners_permissions_by_default(cast: Cast) -> None:
    token, _ = issue(cast)
    assert set(token.permissions) >= {"members.manage", "data.edit"}


def test_a_token_may_carry_fewer_permissions(cast: Cast) -> None:
    token, _ = issue(cast, permissions=["org.view"])
    assert token.permissions == ["org.view"]


def test_a_token_cannot_carry_more_than_the_person_holds(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="持たない権限"):
        api_token_create(
            principal=System("test set-up"),
            user=cast.chiyoda_viewer,
            organisation=cast.org(CHIYODA),
            name="x",
            permissions=["data.view", "data.edit"],
            expires_in_days=None,
        )
    assert not ApiToken.objects.exists()


def test_a_person_cannot_create_a_token_for_an_organisation_they_are_not_in(cast: Cast) -> None:
    for who in (cast.hachioji, cast.outsider, cast.tokyo):
        with pytest.raises(ValidationError, match="この団体で活動する権限がない"):
            api_token_create(
                principal=System("test set-up"),
                user=who,
                organisation=cast.org(CHIYODA),
                name="x",
                permissions=None,
                expires_in_days=None,
            )
    assert not ApiToken.objects.exists()


def test_unknown_permissions_and_bad_lifetimes_are_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="不明な権限"):
        issue(cast, permissions=["root"])
    with pytest.raises(ValidationError, match="有効期限"):
        issue(cast, expires_in_days=0)
    with pytest.raises(ValidationError, match="一つ以上"):
        issue(cast, permissions=[])


def test_bearer_authentication_acts_as_the_token_in_its_organisation(cast: Cast) -> None:
    _, plaintext = issue(cast, permissions=["org.view", "data.view"])
    response = call(plaintext)
    assert response.status_code == 200
    assert response.data == {
        "user": "chiyoda",
        "org": CHIYODA,
        "permissions": ["data.view", "org.view"],
    }


@pytest.mark.parametrize("bad", ["mmr_000000000000_nope", "x", "mmr_"])
def test_an_unknown_token_gets_401_with_a_bearer_challenge(cast: Cast, bad: str) -> None:
    issue(cast)
    response = call(bad)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_header_is_not_authenticated_by_tokens(cast: Cast) -> None:
    assert call(None).status_code == 401
    assert call("abc", header="Basic").status_code == 401


def test_revoked_and_expired_tokens_are_refused(cast: Cast) -> None:
    revoked, revoked_plain = issue(cast)
    api_token_revoke(
        principal=System("test set-up"),
        token=revoked,
    )
    expired, expired_plain = issue(cast)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert call(revoked_plain).status_code == 401
    assert call(expired_plain).status_code == 401
    assert AuditEvent.objects.filter(action="orgs.token.revoke").count() == 1


def test_a_token_stops_working_when_its_owner_leaves_the_organisation(cast: Cast) -> None:
    from mamoru.orgs.models import Membership
    from mamoru.orgs.services import membership_remove

    _, plaintext = issue(cast)
    membership_remove(
        principal=System("test set-up"),
        membership=Membership.objects.get(user=cast.chiyoda, organisation__code=CHIYODA),
    )
    assert call(plaintext).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(cast: Cast) -> None:
    token, plaintext = issue(cast)
    call(plaintext)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    call(plaintext)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    call(plaintext)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first  # type: ignore[operator]


def test_a_person_cannot_revoke_anothers_token(cast: Cast) -> None:
    token, _ = issue(cast)
    for who, status in ((cast.chiyoda_viewer, 404), (cast.hachioji, 404), (cast.outsider, 403)):
        client = Client()
        client.force_login(who)
        assert client.post(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == status
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_owner_revokes_their_token_from_the_settings_page(cast: Cast) -> None:
    token, _ = api_token_create(
        principal=System("test set-up"),
        user=cast.hachioji,
        organisation=cast.org(HACHIOJI),
        name="mine",
        permissions=None,
        expires_in_days=None,
    )
    client = Client()
    client.force_login(cast.hachioji)
    response = client.post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_the_token_page_shows_the_new_token_once(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.hachioji)
    response = client.post(
        "/accounts/settings/tokens/new/",
        {"name": "asset sync", "organisation": HACHIOJI, "permissions": ["org.view"]},
    )
    token = ApiToken.objects.get(user=cast.hachioji)
    body = response.content.decode()
    plaintext = re.search(r'value="(mmr_[^"]+)"', body)
    assert plaintext is not None
    assert token.digest == hashlib.sha256(plaintext[1].encode()).hexdigest()
    assert "no-store" in response["Cache-Control"]
    assert plaintext[1] not in client.get("/accounts/settings/").content.decode()


def test_the_token_page_refuses_an_organisation_of_someone_else(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.hachioji)
    response = client.post(
        "/accounts/settings/tokens/new/",
        {"name": "x", "organisation": CHIYODA, "permissions": ["org.view"]},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_cli_prints_the_token_and_nothing_else(cast: Cast) -> None:
    out = StringIO()
    call_command(
        "token", "create", "hachioji", "--org", HACHIOJI, "--expires-days", "7", stdout=out
    )
    printed = out.getvalue().strip()
    assert TOKEN.match(printed)
    assert call(printed).data["org"] == HACHIOJI


def test_the_cli_refuses_an_organisation_the_person_is_not_in(cast: Cast) -> None:
    with pytest.raises(CommandError, match="この団体で活動する権限がない"):
        call_command("token", "create", "hachioji", "--org", CHIYODA, stdout=StringIO())
    with pytest.raises(CommandError, match="団体コード"):
        call_command("token", "create", "hachioji", "--org", "999999", stdout=StringIO())
