"""The shared cast of the test suite: people in two prefectures and three municipalities,
a national operator, a PPC recipient and an outsider (ARCHITECTURE.md, "The access gate").

Every page and API test uses it to check that a sibling municipality, another
prefecture and an outsider are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from mamoru.accounts.models import User
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.roles import Role
from mamoru.orgs.services import membership_add

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - test-only password

# Real codes from the bundled list: 東京都, 千代田区, 八王子市; 大阪府, 大阪市.
TOKYO, CHIYODA, HACHIOJI = "130001", "131016", "132012"
OSAKA, OSAKA_CITY = "270008", "271004"


@dataclass(frozen=True)
class Cast:
    nation: User  # 総務省 operator
    tokyo: User  # 東京都 support staff
    osaka: User  # 大阪府 support staff
    chiyoda: User  # 千代田区 administrator
    chiyoda_viewer: User
    hachioji: User  # 八王子市, Chiyoda's sibling in 東京都
    osaka_city: User  # 大阪市, in the other prefecture
    ppc: User  # 個人情報保護委員会, a report recipient
    outsider: User  # signed in, member of nothing

    def org(self, code: str) -> Organisation:
        return Organisation.objects.get(code=code)


def make_user(username: str, *, password: str = PASSWORD) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.jp", password=password
    )


def make_cast() -> Cast:
    """Create the cast's people and memberships (organisations must already be loaded)."""
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in=[TOKYO, CHIYODA, HACHIOJI, OSAKA, OSAKA_CITY, "MIC", "PPC"]
        )
    }
    assert orgs["MIC"].kind == OrganisationKind.NATIONAL, "load the organisations first"
    people = {}
    for name, code, role in [
        ("nation", "MIC", Role.EDITOR),
        ("tokyo", TOKYO, Role.EDITOR),
        ("osaka", OSAKA, Role.EDITOR),
        ("chiyoda", CHIYODA, Role.ADMIN),
        ("chiyoda_viewer", CHIYODA, Role.VIEWER),
        ("hachioji", HACHIOJI, Role.EDITOR),
        ("osaka_city", OSAKA_CITY, Role.EDITOR),
        ("ppc", "PPC", Role.VIEWER),
    ]:
        people[name] = make_user(name)
        membership_add(user=people[name], organisation=orgs[code], role=role)
    people["outsider"] = make_user("outsider")
    return Cast(**people)


@dataclass(frozen=True)
class Denial:
    """One URL and who must be refused it. Every URL pattern of the project has one.

    ``kwargs`` may use the cast's organisation: ``{"code": CHIYODA}`` makes the sibling
    (八王子市), the other prefecture's municipality (大阪市) and the outsider all try
    Chiyoda's resource. ``public`` marks pages everyone may open (login, static docs).
    """

    url_name: str
    kwargs: dict[str, str] | None = None
    method: str = "get"
    public: bool = False
    # Who must be refused, by cast attribute; anonymous is always checked unless public.
    refused: tuple[str, ...] = ("outsider", "hachioji", "osaka_city")
    # Statuses that count as a refusal (a redirect to the login page counts for pages).
    refusal_statuses: tuple[int, ...] = (302, 401, 403, 404)


def login_verified(client: Client, user: User) -> Client:
    """Sign ``user`` in on ``client`` as if they had passed their second factor, as the
    MFA middleware requires of administrators and national and prefectural staff."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from mamoru.accounts.testing import totp_device_for

    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def ensure_organisations() -> None:
    """Load the organisations if they are missing: a live-server test (a real transaction)
    ends by flushing every table, including those loaded once per test database."""
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.services import organisations_import

    if not Organisation.objects.filter(code="MIC").exists():
        organisations_import(rows=read_local_governments())
