from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.orgs.roles import Role


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", _("国の機関")
    PREFECTURE = "prefecture", _("都道府県")
    DESIGNATED_CITY = "designated_city", _("政令指定都市")
    CORE_CITY = "core_city", _("中核市")
    CITY = "city", _("市")
    SPECIAL_WARD = "special_ward", _("特別区")
    TOWN = "town", _("町")
    VILLAGE = "village", _("村")


MUNICIPAL_KINDS = frozenset(
    {
        OrganisationKind.DESIGNATED_CITY,
        OrganisationKind.CORE_CITY,
        OrganisationKind.CITY,
        OrganisationKind.SPECIAL_WARD,
        OrganisationKind.TOWN,
        OrganisationKind.VILLAGE,
    }
)
LOCAL_GOVERNMENT_KINDS = MUNICIPAL_KINDS | {OrganisationKind.PREFECTURE}

# Population bands for peer groups. Upper bounds are exclusive; the last band is open.
POPULATION_BANDS: tuple[tuple[int | None, str], ...] = (
    (5_000, "under-5k"),
    (10_000, "5k-10k"),
    (50_000, "10k-50k"),
    (100_000, "50k-100k"),
    (300_000, "100k-300k"),
    (None, "300k-plus"),
)


def population_band(population: int | None) -> str | None:
    if population is None:
        return None
    for upper, label in POPULATION_BANDS:
        if upper is None or population < upper:
            return label
    return None  # pragma: no cover - the last band is open


class Organisation(models.Model):
    """A local government or a national body.

    The hierarchy is nation (総務省) → prefecture → municipality, through ``parent``.
    Recipient bodies (個人情報保護委員会, 警察庁, the ministries…) have no parent and no
    children: they stand beside the hierarchy and see what is addressed to them.
    Peer groups are ``kind`` (the size class) and ``population_band``.
    """

    tenancy = Tenancy.owned_by("pk")
    code = models.CharField(_("団体コード"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英語名称"), max_length=150, blank=True)
    reading = models.CharField(_("よみ"), max_length=150, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    prefecture_code = models.CharField(_("都道府県コード"), max_length=2, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("人口（令和2年国勢調査）"), null=True, blank=True)
    receives_reports = models.BooleanField(_("報告を受け付ける"), default=False)
    # Whom to call when an incident happens: a prefecture's CSIRT or support desk, a
    # recipient body's reporting desk. Public facts of the directory, kept by administrators
    # (``services.organisation_contact_update``); blank until someone records them.
    incident_contact_desk = models.CharField(
        _("インシデントの連絡窓口"), max_length=100, blank=True
    )
    incident_contact_phone = models.CharField(_("連絡窓口の電話番号"), max_length=40, blank=True)
    incident_contact_email = models.EmailField(_("連絡窓口のメールアドレス"), blank=True)
    incident_contact_hours = models.CharField(
        _("連絡窓口の受付時間・補足"), max_length=200, blank=True
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "prefecture_code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_government(self) -> bool:
        return self.kind in LOCAL_GOVERNMENT_KINDS

    @property
    def is_municipality(self) -> bool:
        return self.kind in MUNICIPAL_KINDS

    @property
    def population_band(self) -> str | None:
        return population_band(self.population)

    @property
    def has_incident_contact(self) -> bool:
        return bool(self.incident_contact_phone or self.incident_contact_email)


class Membership(models.Model):
    tenancy = Tenancy.owned_by("organisation")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Grant(models.Model):
    """An explicit, expiring delegation: a person works inside another organisation.

    Example: a prefecture's DX accelerator helping a village for three months acts there
    with the granted role until ``expires_at``; nothing is inferred beyond it.
    """

    tenancy = Tenancy.owned_by("organisation")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)
    reason = models.CharField(_("理由"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("開始"), default=timezone.now)
    expires_at = models.DateTimeField(_("期限"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("委任")
        verbose_name_plural = _("委任")
        indexes = [models.Index(fields=["grantee", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.grantee} → {self.organisation} ({self.role}, {self.expires_at:%Y-%m-%d})"


class Invitation(models.Model):
    """A single-use, expiring invitation to join an organisation in a role, sent by e-mail.

    Only the SHA-256 digest of the link's secret is stored; the link works once
    (``accepted_at``, claimed with a conditional UPDATE) and until ``expires_at``.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("メールアドレス"))
    display_name = models.CharField(_("表示名"), max_length=150, blank=True)
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    tenancy = Tenancy.owned_by("organisation")
    objects = TenantManager()

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    def is_open(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > moment
