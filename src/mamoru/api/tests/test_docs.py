"""The API documentation pages without a browser: their Content Security Policy and the
ReDoc bundle the platform serves (the browser test is test_docs_pages.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from mamoru.api import docs

pytestmark = pytest.mark.django_db


def policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def fresh_bundle() -> Iterator[None]:
    docs.redoc_bundle.cache_clear()
    yield
    docs.redoc_bundle.cache_clear()


def test_only_the_documentation_pages_allow_their_nonce() -> None:
    client = Client()
    swagger = client.get("/api/v1/docs/")
    redoc = client.get("/api/v1/redoc/")
    login = client.get("/accounts/login/")

    nonce = re.compile(r"'nonce-[A-Za-z0-9+/=]+'")
    assert [v for v in policy(swagger)["style-src"] if nonce.fullmatch(v)]
    assert policy(swagger)["script-src"] == ["'self'"]
    assert [v for v in policy(redoc)["script-src"] if nonce.fullmatch(v)]
    assert policy(redoc)["worker-src"] == ["'self'", "blob:"]
    assert policy(login)["script-src"] == ["'self'"]
    assert policy(login)["style-src"] == ["'self'"]
    for response in (swagger, redoc):
        assert "googleapis" not in response.text
        assert "cdn" not in response.text


def test_swagger_ui_starts_from_a_script_of_its_own() -> None:
    page = Client().get("/api/v1/docs/").text
    script = re.search(r'<script src="(/api/v1/docs/\?script=)"></script>', page)
    assert script is not None
    assert "<script>" not in page

    response = Client().get(script.group(1))
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.text
    assert '"validatorUrl": null' in response.text


def test_the_redoc_bundle_is_served_without_its_cdn_logo(fresh_bundle: None) -> None:
    response = Client().get("/api/v1/redoc/redoc.standalone.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    bundle = response.content.decode()
    assert "Redoc" in bundle
    assert "cdn.redoc.ly" not in bundle
    assert "document.currentScript.nonce" in bundle
    assert "//# sourceMappingURL=redoc.standalone.js.map" not in bundle


def test_a_sidecar_release_that_moves_a_change_is_refused(
    fresh_bundle: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docs, "REDOC_PATCHES", (("src:https://elsewhere", 'src:""'),))

    with pytest.raises(ImproperlyConfigured, match="found it 0 times"):
        docs.redoc_bundle()
