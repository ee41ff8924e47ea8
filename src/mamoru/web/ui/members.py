"""Reading a member list from a page: through the gate, and always into the audit log."""

from __future__ import annotations

from django.http import HttpRequest

from mamoru.audit.services import audit_record
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.web.selectors import MemberRow, members_with_mfa


def members_read(
    request: HttpRequest, *, principal: Principal, organisation: Organisation
) -> list[MemberRow]:
    """The members of ``organisation`` as the principal may see them; the read is audited."""
    members = members_with_mfa(principal=principal, organisation=organisation)
    audit_record(
        action="members.read",
        actor=principal.user,
        organisation=principal.organisation,
        target=f"organisation:{organisation.code}",
        details={
            "count": len(members),
            "page": request.resolver_match.view_name if request.resolver_match else "",
        },
    )
    return members
