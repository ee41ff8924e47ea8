"""Writes of the organisations app; each takes the acting principal and checks it."""

from mamoru.orgs.services.acting import acting_organisation_choose
from mamoru.orgs.services.contacts import organisation_contact_update
from mamoru.orgs.services.invitations import (
    INVITATION_DAYS,
    invitation_accept,
    invitation_by_secret,
    invitation_create,
    invitation_revoke,
)
from mamoru.orgs.services.memberships import (
    grant_create,
    grant_revoke,
    membership_add,
    membership_remove,
    membership_role_change,
)
from mamoru.orgs.services.organisations import ImportSummary, organisations_import
from mamoru.orgs.services.tokens import (
    MAX_TOKEN_DAYS,
    api_token_create,
    api_token_revoke,
    api_token_touch,
    api_tokens_revoke_for_membership,
)

__all__ = [
    "INVITATION_DAYS",
    "MAX_TOKEN_DAYS",
    "ImportSummary",
    "acting_organisation_choose",
    "api_token_create",
    "api_token_revoke",
    "api_token_touch",
    "api_tokens_revoke_for_membership",
    "grant_create",
    "grant_revoke",
    "invitation_accept",
    "invitation_by_secret",
    "invitation_create",
    "invitation_revoke",
    "membership_add",
    "membership_remove",
    "membership_role_change",
    "organisation_contact_update",
    "organisations_import",
]
