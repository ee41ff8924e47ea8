"""Choosing the organisation a person acts in (the switcher)."""

from __future__ import annotations

from mamoru.accounts.models import User
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal, audit
from mamoru.orgs.selectors.gate import acting_contexts, principal_for


def acting_organisation_choose(*, user: User, code: str) -> Principal:
    """The principal ``user`` becomes by switching to ``code``; ``Organisation.DoesNotExist``
    when they may not act there (the caller stores the choice in the session)."""
    context = next((c for c in acting_contexts(user=user) if c.organisation.code == code), None)
    principal = principal_for(user=user, organisation_code=code) if context else None
    if context is None or principal is None:
        raise Organisation.DoesNotExist(code)
    audit(
        principal,
        "orgs.switch",
        target=f"org:{code}",
        details={"role": context.role, "via_grant": context.via_grant},
    )
    return principal
