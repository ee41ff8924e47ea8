"""An organisation's internet-facing assets, the scope it approved for scanning, and the
names discovery suggests it should add."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.asm.scope import Kind
from mamoru.core.tenancy import Tenancy, TenantManager


class AssetKind(models.TextChoices):
    DOMAIN = Kind.DOMAIN.value, _("ドメイン")
    HOSTNAME = Kind.HOSTNAME.value, _("ホスト名")
    IP = Kind.IP.value, _("IPアドレス")
    RANGE = Kind.RANGE.value, _("アドレス範囲")
    URL = Kind.URL.value, _("URL")


class ScopeState(models.TextChoices):
    PROPOSED = "proposed", _("承認待ち")
    APPROVED = "approved", _("診断対象（承認済み）")
    RETIRED = "retired", _("対象外（廃止）")


class Asset(models.Model):
    """One thing an organisation exposes: a domain, host name, address, range or URL.

    Nothing is scanned until the organisation approves it (``scope_state``); a name's
    addresses at approval are kept (``approved_addresses``) so that a name that later
    resolves elsewhere is not followed there without a new approval.
    """

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="asm_assets"
    )
    kind = models.CharField(_("種類"), max_length=10, choices=AssetKind.choices)
    value = models.CharField(_("値"), max_length=300)
    ports = models.CharField(
        _("追加で診断するポート"),
        max_length=200,
        blank=True,
        help_text=_("標準のポートのほかに診断するポート（例: 8443,10443）。空欄なら標準だけ。"),
    )
    owner = models.CharField(_("担当（部署・担当者・委託先）"), max_length=150, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    scope_state = models.CharField(
        _("診断の可否"), max_length=10, choices=ScopeState.choices, default=ScopeState.PROPOSED
    )
    approved_addresses = models.JSONField(default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The organisation the person acted for: the asset's owner, or the nation on its behalf.
    added_for = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_via = models.CharField(max_length=20, blank=True)  # form, import, discovery, api, demo
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("資産")
        verbose_name_plural = _("資産")
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "value"], name="asm_asset_unique_value"
            )
        ]
        indexes = [models.Index(fields=["organisation", "scope_state"])]

    def __str__(self) -> str:
        return self.value

    @property
    def is_approved(self) -> bool:
        return self.scope_state == ScopeState.APPROVED

    @property
    def added_on_behalf(self) -> bool:
        return self.added_for_id is not None and self.added_for_id != self.organisation_id


class SuggestionSource(models.TextChoices):
    MX = "dns-mx", _("メールサーバー（MX レコード）")
    NS = "dns-ns", _("ネームサーバー（NS レコード）")
    SPF = "spf-include", _("SPF の include")
    CNAME = "dns-cname", _("別名（CNAME レコード）の行き先")
    CERTIFICATE = "certificate-san", _("証明書に書かれた名前")
    WELL_KNOWN = "well-known", _("よく使われるホスト名")


class SuggestionState(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    APPROVED = "approved", _("資産に追加済み")
    REJECTED = "rejected", _("対象外")


class DiscoverySuggestion(models.Model):
    """A name found inside the organisation's own domains, for it to add or reject."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="asm_suggestions"
    )
    value = models.CharField(_("ホスト名"), max_length=255)
    source = models.CharField(_("見つけた方法"), max_length=20, choices=SuggestionSource.choices)
    found_from = models.CharField(_("見つけた場所"), max_length=300, blank=True)
    addresses = models.JSONField(default=list, blank=True)
    state = models.CharField(
        _("状態"), max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("資産の候補")
        verbose_name_plural = _("資産の候補")
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "value"], name="asm_suggestion_unique_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.source})"
