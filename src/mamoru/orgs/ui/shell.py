"""What the organisations app adds to the shell: menu entries, home panels, settings
panels and the "what needs attention" items about people (registered at start-up by
``OrgsConfig.ready``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mamoru.core.access import Permission
from mamoru.core.navigation import (
    Attention,
    Level,
    NavEntry,
    Panel,
    Section,
    attention_check,
    home_panel,
    nav_entry,
    settings_panel,
)
from mamoru.orgs import audiences
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import (
    MemberRow,
    acting_contexts,
    api_tokens_expiring,
    members_with_mfa,
    organisation_counts_by_prefecture,
)
from mamoru.orgs.ui.directory import municipalities_context

TOKEN_EXPIRY_WARNING = timedelta(days=14)


def _own_members(request: HttpRequest, principal: Principal) -> list[MemberRow]:
    """The acting organisation's members, read (and audited) once per request however many
    panels and checks of the home page show them."""
    cached: list[MemberRow] | None = getattr(request, "_orgs_own_members", None)
    if cached is None:
        cached = members_with_mfa(principal=principal, organisation=principal.organisation)
        request._orgs_own_members = cached  # type: ignore[attr-defined]
    return cached


nav_entry(
    NavEntry(
        key="orgs.organisation",
        section=Section.ORGANISATION,
        label=gettext_lazy("自分の団体"),
        url_name="orgs:organisation",
        order=80,
        description=gettext_lazy("団体の情報と、登録されている職員を確認します。"),
        show=lambda p: p is not None and p.can(Permission.MEMBERS_VIEW),
        kwargs=lambda p: {"code": p.organisation.code},
    )
)
nav_entry(
    NavEntry(
        key="orgs.members",
        section=Section.ORGANISATION,
        label=gettext_lazy("職員"),
        url_name="orgs:members",
        order=75,
        description=gettext_lazy(
            "職員の招待、役割の変更、異動した人の削除、二要素認証の設定状況の確認をします。"
        ),
        show=lambda p: p is not None and p.can(Permission.MEMBERS_VIEW),
        kwargs=lambda p: {"code": p.organisation.code},
    )
)
nav_entry(
    NavEntry(
        key="orgs.municipalities",
        section=Section.ORGANISATION,
        label=gettext_lazy("域内の市区町村"),
        url_name="orgs:municipalities",
        order=15,
        description=gettext_lazy("域内の市区町村の職員の登録と二要素認証の状況を確認します。"),
        show=audiences.prefecture,
    )
)
nav_entry(
    NavEntry(
        key="orgs.directory",
        section=Section.ORGANISATION,
        label=gettext_lazy("団体一覧"),
        url_name="orgs:directory",
        order=90,
        description=gettext_lazy("地方公共団体と国の機関を名前やコードで探します。"),
    )
)


def _own_organisation(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    """A municipality's or recipient's own profile and members on its home page."""
    if principal is None or audiences.prefecture(principal) or audiences.nation(principal):
        return None
    organisation = principal.organisation
    members = _own_members(request, principal) if principal.can(Permission.MEMBERS_VIEW) else []
    return {"organisation": organisation, "members": members}


def _municipalities(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not audiences.prefecture(principal):
        return None
    return municipalities_context(request, principal)


def _prefectures(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not audiences.nation(principal):
        return None
    rows = organisation_counts_by_prefecture(principal=principal)
    kinds = [
        (value, label)
        for value, label in OrganisationKind.choices
        if value not in {OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE}
    ]
    totals = {kind: sum(r.by_kind[kind] for r in rows) for kind, _label in kinds}
    return {
        "rows": rows,
        "kinds": kinds,
        "totals": [totals[kind] for kind, _label in kinds],
        "municipalities": sum(totals.values()),
        "prefectures": len(rows),
    }


home_panel(Panel("orgs.own", "orgs/panels/own_organisation.html", 90, _own_organisation))
home_panel(Panel("orgs.municipalities", "orgs/panels/municipalities.html", 20, _municipalities))
home_panel(Panel("orgs.prefectures", "orgs/panels/prefectures.html", 20, _prefectures))


def _organisations_settings(request: HttpRequest, principal: Any) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    contexts = acting_contexts(user=user)
    return {"contexts": [(c, Role(c.role).label) for c in contexts]}


settings_panel(
    Panel("orgs.organisations", "orgs/panels/switcher.html", 30, _organisations_settings)
)
settings_panel(
    Panel(
        "orgs.tokens",
        "orgs/panels/tokens.html",
        40,
        lambda request, principal: {} if principal is not None else None,
    )
)


@attention_check
def members_without_mfa(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.can(Permission.MEMBERS_VIEW):
        return None
    members = _own_members(request, principal)
    missing = [str(m.user) for m in members if not m.has_mfa]
    if not missing:
        return None
    admins_missing = any(m.role == Role.ADMIN and not m.has_mfa for m in members)
    return Attention(
        key="members-without-mfa",
        level=Level.DANGER if admins_missing else Level.WARNING,
        title=_("二要素認証を設定していない職員がいます"),
        detail=ngettext(
            "%(count)d人が二要素認証（認証アプリの確認コード）を設定していません。パスワードが漏れると不正にログインされるおそれがあります。",
            "%(count)d人が二要素認証（認証アプリの確認コード）を設定していません。パスワードが漏れると不正にログインされるおそれがあります。",
            len(missing),
        )
        % {"count": len(missing)},
        url=reverse("orgs:members", args=[principal.organisation.code]),
        action=_("職員の一覧を見る"),
        entries=missing,
    )


@attention_check
def api_tokens_expiring_soon(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.can(Permission.MEMBERS_VIEW):
        return None
    tokens = list(
        api_tokens_expiring(
            principal=principal, organisation=principal.organisation, within=TOKEN_EXPIRY_WARNING
        )
    )
    if not tokens:
        return None
    return Attention(
        key="api-tokens-expiring",
        level=Level.WARNING,
        title=_("まもなく有効期限が切れるAPIトークンがあります"),
        detail=ngettext(
            "%(count)d件のAPIトークンが14日以内に失効します。連携しているシステムが止まらないよう、新しいトークンを発行してください。",
            "%(count)d件のAPIトークンが14日以内に失効します。連携しているシステムが止まらないよう、新しいトークンを発行してください。",
            len(tokens),
        )
        % {"count": len(tokens)},
        url=reverse("orgs:tokens"),
        action=_("APIトークンを確認する"),
        entries=[
            _("%(name)s（%(owner)s、%(date)s まで）")
            % {
                "name": t.name,
                "owner": t.user,
                "date": date_format(localtime(t.expires_at), "DATE_FORMAT"),
            }
            for t in tokens
            if t.expires_at is not None
        ],
    )


@attention_check
def administrators(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.organisation.is_municipality:
        return None
    if not principal.can(Permission.MEMBERS_VIEW):
        return None
    members = _own_members(request, principal)
    admins = [str(m.user) for m in members if m.role == Role.ADMIN]
    if not admins:
        return Attention(
            key="administrators",
            level=Level.DANGER,
            title=_("管理者がいません"),
            detail=_(
                "職員の追加や権限の変更ができる管理者が登録されていません。都道府県の担当者に連絡してください。都道府県が最初の管理者を招待できます。"
            ),
        )
    return Attention(
        key="administrators",
        level=Level.WARNING if len(admins) == 1 else Level.INFO,
        title=ngettext("管理者は%(count)d人です", "管理者は%(count)d人です", len(admins))
        % {"count": len(admins)},
        detail=_("管理者が1人だけだと、不在のときに職員の追加や権限の変更ができません。")
        if len(admins) == 1
        else _("管理者の一覧です。異動や退職があったときは権限を見直してください。"),
        url=reverse("orgs:members", args=[principal.organisation.code]),
        action=_("職員の一覧を見る"),
        entries=admins,
    )
