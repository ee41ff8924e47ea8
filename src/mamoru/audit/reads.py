"""``audited_read``: record every read of sensitive records (member lists, tokens, …).

Wrap a selector that takes the acting ``principal`` as a keyword::

    @audited_read("members.list")
    def memberships_of(*, principal: Principal, organisation: Organisation) -> QuerySet[...]:
        ...

Each call appends an entry naming the principal's person and organisation, the target
(by default the ``organisation`` argument's code, else ``code`` or ``pk``) and whether
the read came through a membership, a grant or the API (``details.via``), with what
``details`` draws from the arguments (an export's format, say). A selector that refuses (raises
``ObjectDoesNotExist`` or ``PermissionDenied``) is recorded as ``denied`` and the
exception goes on. Writes are recorded by services calling ``audit_record`` directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied

from mamoru.audit.models import Outcome
from mamoru.audit.services import audit_record
from mamoru.core.access import Acting

P = ParamSpec("P")
R = TypeVar("R")
TargetOf = Callable[[Mapping[str, Any]], str]
DetailsOf = Callable[[Mapping[str, Any]], dict[str, Any]]


def default_target(arguments: Mapping[str, Any]) -> str:
    organisation = arguments.get("organisation")
    if organisation is not None and hasattr(organisation, "code"):
        return str(organisation.code)
    for name in ("code", "pk", "id"):
        if arguments.get(name) is not None:
            return str(arguments[name])
    return ""


def _record(
    principal: Acting, action: str, target: str, outcome: str, details: dict[str, Any]
) -> None:
    audit_record(
        action=action,
        actor=principal.user,
        organisation=principal.organisation,
        target=target,
        outcome=outcome,
        details={**details, "via": principal.via},
    )


def audited_read(
    action: str, *, target: TargetOf = default_target, details: DetailsOf = lambda _: {}
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a selector so each call (allowed or refused) enters the audit log."""

    def decorate(selector: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(selector)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            principal = cast("Acting | None", kwargs.get("principal"))
            if principal is None:
                raise TypeError(f"{selector.__qualname__}: pass the acting principal= keyword")
            try:
                result = selector(*args, **kwargs)
            except (ObjectDoesNotExist, PermissionDenied):
                _record(principal, action, target(kwargs), Outcome.DENIED, details(kwargs))
                raise
            _record(principal, action, target(kwargs), Outcome.SUCCESS, details(kwargs))
            return result

        return wrapper

    return decorate
