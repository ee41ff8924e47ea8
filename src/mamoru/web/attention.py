"""What needs attention on a municipality's home page: a registry of small checks.

Each check looks at one organisation through the access gate and returns an item or
nothing. Later capabilities (findings past their deadline, incident reports due, survey
campaigns closing) add their own checks with ``@attention_check`` in a module their
AppConfig imports in ``ready()``; the home page needs no change.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Role
from mamoru.web.selectors import MemberRow, api_tokens_expiring

TOKEN_EXPIRY_WARNING = timedelta(days=14)


class Level(enum.StrEnum):
    """How urgent an item is; also the modifier of its ``notice`` CSS class."""

    DANGER = "danger"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class AttentionContext:
    principal: Principal
    organisation: Organisation
    members: Sequence[MemberRow]


@dataclass(frozen=True)
class Attention:
    key: str
    level: Level
    title: str
    detail: str
    entries: Sequence[str] = field(default_factory=tuple)


AttentionCheck = Callable[[AttentionContext], Attention | None]

_CHECKS: list[AttentionCheck] = []
_ORDER = {Level.DANGER: 0, Level.WARNING: 1, Level.INFO: 2}


def attention_check(check: AttentionCheck) -> AttentionCheck:
    """Register ``check``; registering the same function twice has no effect."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def attention_for(
    *, principal: Principal, organisation: Organisation, members: Sequence[MemberRow]
) -> list[Attention]:
    """Every registered check's item for ``organisation``, the most urgent first."""
    context = AttentionContext(principal=principal, organisation=organisation, members=members)
    items = [item for check in _CHECKS if (item := check(context)) is not None]
    return sorted(items, key=lambda item: _ORDER[item.level])


@attention_check
def members_without_mfa(context: AttentionContext) -> Attention | None:
    missing = [str(m.user) for m in context.members if not m.has_mfa]
    if not missing:
        return None
    admins_missing = any(m.role == Role.ADMIN and not m.has_mfa for m in context.members)
    return Attention(
        key="members-without-mfa",
        level=Level.DANGER if admins_missing else Level.WARNING,
        title=str(_("二要素認証を設定していない職員がいます")),
        detail=ngettext(
            "%(count)d人が二要素認証（認証アプリの確認コード）を設定していません。パスワードが漏れると不正にログインされるおそれがあります。",
            "%(count)d人が二要素認証（認証アプリの確認コード）を設定していません。パスワードが漏れると不正にログインされるおそれがあります。",
            len(missing),
        )
        % {"count": len(missing)},
        entries=missing,
    )


@attention_check
def api_tokens_expiring_soon(context: AttentionContext) -> Attention | None:
    tokens = list(
        api_tokens_expiring(
            principal=context.principal,
            organisation=context.organisation,
            within=TOKEN_EXPIRY_WARNING,
        )
    )
    if not tokens:
        return None
    return Attention(
        key="api-tokens-expiring",
        level=Level.WARNING,
        title=str(_("まもなく有効期限が切れるAPIトークンがあります")),
        detail=ngettext(
            "%(count)d件のAPIトークンが14日以内に失効します。連携しているシステムが止まらないよう、新しいトークンを発行してください。",
            "%(count)d件のAPIトークンが14日以内に失効します。連携しているシステムが止まらないよう、新しいトークンを発行してください。",
            len(tokens),
        )
        % {"count": len(tokens)},
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
def administrators(context: AttentionContext) -> Attention | None:
    admins = [str(m.user) for m in context.members if m.role == Role.ADMIN]
    if not admins:
        return Attention(
            key="administrators",
            level=Level.DANGER,
            title=str(_("管理者がいません")),
            detail=str(
                _(
                    "職員の追加や権限の変更ができる管理者が登録されていません。都道府県の担当者に連絡してください。"
                )
            ),
        )
    return Attention(
        key="administrators",
        level=Level.WARNING if len(admins) == 1 else Level.INFO,
        title=ngettext("管理者は%(count)d人です", "管理者は%(count)d人です", len(admins))
        % {"count": len(admins)},
        detail=str(
            _("管理者が1人だけだと、不在のときに職員の追加や権限の変更ができません。")
            if len(admins) == 1
            else _("管理者の一覧です。異動や退職があったときは権限を見直してください。")
        ),
        entries=admins,
    )
