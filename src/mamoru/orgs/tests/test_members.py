"""People administration on the web: invite by e-mail (single-use, expiring), change roles,
remove, see who has no second factor; the prefecture appoints a first administrator where
there is none; every step refused to other tenants and audited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mamoru.accounts.models import ApiToken, User
from mamoru.audit.models import AuditEvent
from mamoru.orgs.models import Invitation, Membership
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.services import api_token_create, membership_add
from mamoru.orgs.tests.factories import organisation
from mamoru.testing import CHIYODA, HACHIOJI, Cast, SignIn

pytestmark = pytest.mark.django_db

MEMBERS = f"/organisations/{CHIYODA}/members/"
LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def invite(client: Client, captured: Any, *, email: str, role: str = Role.EDITOR) -> str:
    with captured(execute=True):
        response = client.post(
            f"{MEMBERS}invite/", {"email": email, "role": role, "display_name": "情報政策課 新人"}
        )
    assert response.status_code == 302
    match = LINK.search(str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_the_admin_sees_members_and_who_has_no_second_factor(cast: Cast, signed_in: SignIn) -> None:
    page = signed_in(cast.chiyoda).get(MEMBERS)
    assert page.status_code == 200
    assert "chiyoda_viewer" in page.text
    assert "未設定" in page.text  # the viewer has no authenticator
    assert "職員を招待する" in page.text


def test_an_invited_person_makes_an_account_and_joins_once(
    cast: Cast, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    secret = invite(
        signed_in(cast.chiyoda), django_capture_on_commit_callbacks, email="new@example.jp"
    )
    assert not Invitation.objects.unscoped("test").filter(digest=secret).exists()  # digest only
    visitor = Client()
    form = {
        "username": "shinjin",
        "display_name": "",
        "password1": "long enough passphrase 2026",
        "password2": "long enough passphrase 2026",
    }
    response = visitor.post(f"/invitations/{secret}/", form)
    assert response.status_code == 302
    user = User.objects.get(username="shinjin")
    assert user.email == "new@example.jp"
    assert user.display_name == "情報政策課 新人"
    membership = Membership.objects.unscoped("test").get(user=user)
    assert (membership.organisation.code, membership.role) == (CHIYODA, Role.EDITOR)
    again = Client().post(f"/invitations/{secret}/", {**form, "username": "other"})
    assert "この招待は使えません" in again.text
    assert not User.objects.filter(username="other").exists()
    assert AuditEvent.objects.filter(action="orgs.invitation.accept", actor_id=user.pk).exists()


def test_an_expired_or_revoked_invitation_cannot_be_used(
    cast: Cast, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    admin = signed_in(cast.chiyoda)
    expired = invite(admin, django_capture_on_commit_callbacks, email="late@example.jp")
    Invitation.objects.unscoped("test").filter(email="late@example.jp").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert "この招待は使えません" in Client().get(f"/invitations/{expired}/").text
    revoked = invite(admin, django_capture_on_commit_callbacks, email="gone@example.jp")
    pk = Invitation.objects.unscoped("test").get(email="gone@example.jp").pk
    assert admin.post(f"{MEMBERS[:-8]}invitations/{pk}/revoke/").status_code == 302
    assert "この招待は使えません" in signed_in(cast.hachioji).post(f"/invitations/{revoked}/").text


def test_a_signed_in_person_accepts_as_themselves(
    cast: Cast, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    secret = invite(
        signed_in(cast.chiyoda), django_capture_on_commit_callbacks, email="h@example.jp"
    )
    assert signed_in(cast.hachioji).post(f"/invitations/{secret}/").status_code == 302
    assert (
        Membership.objects.unscoped("test")
        .filter(user=cast.hachioji, organisation__code=CHIYODA)
        .exists()
    )


def test_roles_change_but_never_away_from_the_last_administrator(
    cast: Cast, signed_in: SignIn
) -> None:
    admin = signed_in(cast.chiyoda)
    viewer = Membership.objects.unscoped("test").get(user=cast.chiyoda_viewer)
    assert admin.post(f"{MEMBERS}{viewer.pk}/role/", {"role": Role.EDITOR}).status_code == 302
    viewer.refresh_from_db()
    assert viewer.role == Role.EDITOR
    own = Membership.objects.unscoped("test").get(user=cast.chiyoda)
    response = admin.post(f"{MEMBERS}{own.pk}/role/", {"role": Role.VIEWER}, follow=True)
    assert "最後の管理者です" in response.text
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_removing_a_member_revokes_their_tokens_for_good(cast: Cast, signed_in: SignIn) -> None:
    token, _plaintext = api_token_create(
        principal=System("test"),
        user=cast.chiyoda_viewer,
        organisation=organisation(CHIYODA),
        name="t",
    )
    viewer = Membership.objects.unscoped("test").get(user=cast.chiyoda_viewer)
    assert signed_in(cast.chiyoda).post(f"{MEMBERS}{viewer.pk}/remove/").status_code == 302
    assert not Membership.objects.unscoped("test").filter(pk=viewer.pk).exists()
    membership_add(
        principal=System("test"),
        user=cast.chiyoda_viewer,
        organisation=organisation(CHIYODA),
        role=Role.VIEWER,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not ApiToken.objects.get(pk=token.pk).is_active()


@pytest.mark.parametrize("who", ["chiyoda_viewer", "hachioji", "tokyo", "nation"])
def test_only_the_organisations_administrators_manage_its_people(
    cast: Cast, signed_in: SignIn, who: str
) -> None:
    viewer = Membership.objects.unscoped("test").get(user=cast.chiyoda_viewer)
    client = signed_in(getattr(cast, who))
    client.post(f"{MEMBERS}invite/", {"email": "x@example.jp", "role": Role.ADMIN})
    client.post(f"{MEMBERS}{viewer.pk}/role/", {"role": Role.ADMIN})
    client.post(f"{MEMBERS}{viewer.pk}/remove/")
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER
    assert not Invitation.objects.unscoped("test").exists()


def test_the_prefecture_appoints_the_first_administrator_only_where_there_is_none(
    cast: Cast, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    tokyo_admin = User.objects.create_user("tokyo_admin", password="x" * 20)
    membership_add(
        principal=System("test"),
        user=tokyo_admin,
        organisation=organisation("130001"),
        role=Role.ADMIN,
    )
    client = signed_in(tokyo_admin)
    hachioji_members = f"/organisations/{HACHIOJI}/members/"
    page = client.get(hachioji_members)
    assert "最初の管理者を招待する" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{hachioji_members}invite/", {"email": "boss@example.jp", "role": Role.ADMIN})
    invitation = Invitation.objects.unscoped("test").get(email="boss@example.jp")
    assert (invitation.organisation.code, invitation.role) == (HACHIOJI, Role.ADMIN)
    assert AuditEvent.objects.filter(action="orgs.admin.appoint").exists()
    # 千代田区 has an administrator: the prefecture may not add anyone there.
    client.post(f"{MEMBERS}invite/", {"email": "no@example.jp", "role": Role.ADMIN})
    assert not Invitation.objects.unscoped("test").filter(email="no@example.jp").exists()
    # 大阪市 is not 東京都's.
    assert client.get("/organisations/271004/members/").status_code == 404
