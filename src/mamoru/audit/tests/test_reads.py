"""Reads of sensitive records enter the audit log through ``audited_read``."""

from __future__ import annotations

import pytest

from mamoru.audit.models import AuditEvent, Outcome
from mamoru.audit.reads import audited_read
from mamoru.orgs.models import Membership
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import membership_get, memberships_of, principal_for
from mamoru.testing import CHIYODA, HACHIOJI, Cast

pytestmark = pytest.mark.django_db

# The real selectors, wrapped as their module would wrap them.
audited_memberships_of = audited_read("members.list")(memberships_of)
audited_membership_get = audited_read("members.view")(membership_get)


def acting(user: object) -> Principal:
    principal = principal_for(user=user)  # type: ignore[arg-type]
    assert principal is not None
    return principal


def test_reading_a_member_list_is_recorded_with_who_where_and_what(cast: Cast) -> None:
    principal = acting(cast.chiyoda)
    members = list(audited_memberships_of(principal=principal, organisation=cast.org(CHIYODA)))
    assert {m.user.username for m in members} == {"chiyoda", "chiyoda_viewer"}
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_username, event.organisation_code, event.target) == (
        "members.list",
        "chiyoda",
        CHIYODA,
        CHIYODA,
    )
    assert event.outcome == Outcome.SUCCESS
    assert event.details == {"via": "membership"}


def test_a_refused_read_is_recorded_as_denied_and_still_refused(cast: Cast) -> None:
    sibling_membership = Membership.objects.get(user=cast.hachioji)
    with pytest.raises(Membership.DoesNotExist):
        audited_membership_get(principal=acting(cast.chiyoda), pk=sibling_membership.pk)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.outcome, event.target) == (
        "members.view",
        Outcome.DENIED,
        str(sibling_membership.pk),
    )
    assert event.organisation_code == CHIYODA != HACHIOJI


def test_a_selector_called_without_a_principal_is_a_programming_error() -> None:
    @audited_read("x.read")
    def selector(*, code: str) -> str:
        return code

    with pytest.raises(TypeError, match="principal"):
        selector(code="1")
    assert not AuditEvent.objects.filter(action="x.read").exists()


def test_a_custom_target_names_what_was_read(cast: Cast) -> None:
    @audited_read("tokens.list", target=lambda kwargs: f"user:{kwargs['owner']}")
    def tokens_of(*, principal: Principal, owner: str) -> list[str]:
        return []

    tokens_of(principal=acting(cast.chiyoda), owner="chiyoda_viewer")
    assert AuditEvent.objects.latest("id").target == "user:chiyoda_viewer"
