"""API token authentication for DRF (filled in by the accounts work)."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> None:
        return None
