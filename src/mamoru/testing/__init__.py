"""What every test shares: the cast of people across tenants, denial entries, and signing in.

The cast (ARCHITECTURE.md, "The access gate"): people in two prefectures and three
municipalities, a national operator, a PPC recipient and an outsider. Every page and API
test uses it to check that a sibling municipality, another prefecture and an outsider are
refused. Fixtures (``cast``, ``signed_in``, the browser) are in ``mamoru.testing.fixtures``,
which ``src/conftest.py`` loads for every test.

This package is test support, not an app: production code never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from rest_framework.test import APIClient

from mamoru.accounts.models import TotpDevice, User
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role

# The ``signed_in`` fixture: ``signed_in(user, *, mfa=True, api=False, headers=None)``.
SignIn = Callable[..., Any]

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
    ppc: User  # 個人情報保護委員会, a report recipient (an editor: acknowledges, asks)
    outsider: User  # signed in, member of nothing

    def org(self, code: str) -> Organisation:
        return Organisation.objects.get(code=code)


def make_user(username: str, *, password: str = PASSWORD) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.jp", password=password
    )


def add_member(user: User, organisation: Organisation, role: str) -> User:
    """Give ``user`` a role in ``organisation`` directly (test set-up, not a service call)."""
    from mamoru.orgs.models import Membership

    Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return user


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
        ("ppc", "PPC", Role.EDITOR),
    ]:
        people[name] = add_member(make_user(name), orgs[code], role)
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


def all_denials() -> list[Denial]:
    """Every app's ``DENIALS`` (``mamoru/<app>/tests/denials.py``): every URL the project
    routes, with who must be refused it."""
    import importlib
    import pkgutil

    import mamoru

    denials: list[Denial] = []
    for module in pkgutil.iter_modules(mamoru.__path__):
        if not module.ispkg:
            continue
        try:
            found = importlib.import_module(f"mamoru.{module.name}.tests.denials")
        except ModuleNotFoundError:
            continue
        denials += found.DENIALS
    return denials


def totp_device_for(user: User) -> TotpDevice:
    """A confirmed authenticator for ``user`` (the one they have, or a new one)."""
    device: TotpDevice | None = TotpDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TotpDevice.objects.create(user=user, name="test", confirmed=True)
    assert device is not None
    return device


def totp_now(device: TotpDevice) -> str:
    """The code the person's authenticator shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def sign_in(
    user: User | None,
    *,
    mfa: bool = True,
    api: bool = False,
    headers: dict[str, str] | None = None,
    client: Client | None = None,
) -> Any:
    """A test client (an ``APIClient`` speaking JSON with ``api=True``) with ``user`` signed
    in — with a verified second factor unless ``mfa=False``, as the MFA middleware requires
    of administrators and national and prefectural staff. ``None`` gives an anonymous one.
    ``client`` signs in on a client the test built itself (its own headers or options)."""
    if client is None:
        client = APIClient(headers=headers) if api else Client(headers=headers)
    if api:
        client.default_format = "json"  # type: ignore[attr-defined]  # the API takes JSON only
    if user is None:
        return client
    client.force_login(user)
    if mfa:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
        session.save()
    return client


def results(response: Any) -> list[Any]:
    """The rows of a paged API list (``{"count", "next", "previous", "results"}``)."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}, body
    rows: list[Any] = body["results"]
    return rows


def ensure_organisations() -> None:
    """Load the organisations if they are missing: a live-server test (a real transaction)
    ends by flushing every table, including those loaded once per test database."""
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.services import organisations_import

    if not Organisation.objects.filter(code="MIC").exists():
        organisations_import(principal=System("test set-up"), rows=read_local_governments())
