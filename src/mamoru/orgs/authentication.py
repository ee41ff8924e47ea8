"""API token authentication for DRF: ``Authorization: Bearer mmr_<prefix>_<secret>``."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from mamoru.accounts.models import ApiToken, User
from mamoru.accounts.selectors import api_token_by_plaintext
from mamoru.orgs.principal import PrincipalRequest
from mamoru.orgs.selectors import principal_for_token
from mamoru.orgs.services import api_token_touch

KEYWORD = "Bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates a person's API token and puts ``request.principal`` (the token's
    organisation, with the token's permissions cut down to what the owner still holds),
    so API views read through the access gate exactly as pages do."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: let session authentication try
        if len(parts) != 2:
            raise AuthenticationFailed(_("Authorization ヘッダーの形式が正しくありません。"))
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("トークンが正しくありません。")) from exc
        token = api_token_by_plaintext(plaintext=plaintext)
        if token is None:
            raise AuthenticationFailed(_("トークンが正しくありません。"))
        if not token.is_active():
            raise AuthenticationFailed(_("トークンは失効しているか、有効期限が切れています。"))
        principal = principal_for_token(token=token)
        if principal is None:
            # The owner is deactivated or no longer acts in the token's organisation.
            raise AuthenticationFailed(_("このトークンの利用者はこの団体で活動できません。"))
        api_token_touch(token=token)
        # DRF's Request reads unknown attributes from the HttpRequest it wraps.
        cast(PrincipalRequest, request._request).principal = principal
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD
