"""Helpers of the API tests: signed-in clients and the URLs of one report."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from mamoru.accounts.models import User
from mamoru.core.testing import login_verified

BASE = "/api/v1/incidents"


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.default_format = "json"  # the API accepts JSON bodies only
    login_verified(client, user)
    return client


def report_url(public_id: str, suffix: str = "") -> str:
    return f"{BASE}/reports/{public_id}/{suffix}"


def create(client: APIClient, data: dict[str, Any]) -> str:
    response = client.post(f"{BASE}/reports/", data, format="json")
    assert response.status_code == 201, response.content
    return str(response.json()["public_id"])


def submit(client: APIClient, public_id: str, *, final: bool = False) -> dict[str, Any]:
    response = client.post(report_url(public_id, "submit/"), {"final": final}, format="json")
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def inbox(client: APIClient) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/inbox/")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()
    return items
