"""Reads of API tokens: a token is a person acting in one organisation with a subset of
what they hold there, so its reads and its principal belong with the gate."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from mamoru.accounts.models import ApiToken
from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors.gate import organisations_readable, principal_for


def principal_for_token(*, token: ApiToken) -> Principal | None:
    """A token acts with what it was given, but never more than its owner still holds."""
    if not token.is_active() or not token.user.is_active:
        return None
    owner = principal_for(user=token.user, organisation_code=token.organisation.code)
    if owner is None:
        return None
    granted = frozenset(
        Permission(p) for p in token.permissions if p in Permission.__members__.values()
    )
    return Principal(
        user=owner.user,
        organisation=owner.organisation,
        role=owner.role,
        permissions=owner.permissions & granted,
        supervisor=owner.supervisor,
        via_grant=owner.via_grant,
        token=token,
    )


def api_tokens_of(*, principal: Principal) -> QuerySet[ApiToken]:
    """The principal's person's own tokens, newest first (revoked ones included, for the
    record). A token sees only itself: it acts in one organisation and manages nothing."""
    own = ApiToken.objects.unscoped("a person's own tokens, in every organisation they act in")
    if principal.token is not None:
        own = own.filter(pk=principal.token.pk)
    return own.filter(user=principal.user).select_related("organisation").order_by("-created_at")


def api_token_get(*, principal: Principal, pk: int) -> ApiToken:
    """One of the person's own tokens; ``ApiToken.DoesNotExist`` for anyone else's."""
    return api_tokens_of(principal=principal).get(pk=pk)


def api_tokens_expiring(
    *, principal: Principal, organisation: Organisation, within: timedelta
) -> QuerySet[ApiToken]:
    """Live API tokens of ``organisation`` that expire within ``within``, soonest first."""
    readable = organisations_readable(principal=principal, kind=DataKind.MEMBERS)
    now = timezone.now()
    return (
        ApiToken.objects.within(readable)
        .filter(
            organisation=organisation,
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + within,
        )
        .select_related("user")
        .order_by("expires_at")
    )
