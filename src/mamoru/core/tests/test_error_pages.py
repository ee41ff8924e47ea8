"""The error pages: styled, in Japanese and in English, with DEBUG off; JSON under /api/;
and a 500 page that renders when the database is gone.

This module is also the URLconf of its tests: the project's URLs and error handlers, plus
two views that fail on purpose (no page of the project raises an uncaught
``PermissionDenied`` or error today).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from pytest_django import DjangoDbBlocker

from mamoru import urls as project
from mamoru.testing import Cast, sign_in


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(_("この報告を操作する権限がありません。"))


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/refuse/", refuse),
    path("test-errors/fail/", fail),
    path("api/test-errors/refuse/", refuse),
    path("api/test-errors/fail/", fail),
    *project.urlpatterns,
]
handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500

STYLED = '<link rel="stylesheet" href="/static/web/mamoru.css">'
HOME_LINK = '<a class="button button--primary" href="/">'


@pytest.fixture(autouse=True)
def _project_urls_and_no_debug() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        yield
    # LocaleMiddleware leaves the last request's language active in this thread.
    translation.deactivate()


def client(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)


def assert_styled(html: str, language: str, heading: str) -> None:
    assert f'<html lang="{language}">' in html
    assert STYLED in html
    assert f"<h1>{heading}</h1>" in html
    assert HOME_LINK in html


PAGES = {
    404: ("ページが見つかりません", "Page not found"),
    403: ("この画面を表示する権限がありません", "You do not have permission to see this page"),
    400: ("要求を処理できませんでした", "The request could not be processed"),
    500: ("サーバーで問題が発生しました", "Something went wrong on the server"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "index"), [("ja", 0), ("en", 1)])
def test_a_missing_page_is_the_styled_404_with_the_menu(
    cast: Cast, language: str, index: int
) -> None:
    response = sign_in(cast.chiyoda, client=client(language)).get("/no/such/page/")

    assert response.status_code == 404
    assert_styled(response.text, language, PAGES[404][index])
    assert "<code>/no/such/page/</code>" in response.text
    assert 'class="site-nav"' in response.text  # signed in: the menu of web/base.html
    assert PAGES[404][1 - index] not in response.text


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_the_styled_404_too() -> None:
    response = client("ja").get("/no/such/page/")

    assert response.status_code == 404
    assert_styled(response.text, "ja", PAGES[404][0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "index", "reason"),
    [
        ("ja", 0, "この報告を操作する権限がありません。"),
        ("en", 1, "You do not have permission to act on this report."),
    ],
)
def test_a_refusal_is_the_styled_403_with_its_reason(
    cast: Cast, language: str, index: int, reason: str
) -> None:
    response = sign_in(cast.chiyoda_viewer, client=client(language)).get("/test-errors/refuse/")

    assert response.status_code == 403
    assert_styled(response.text, language, PAGES[403][index])
    assert reason in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "index"), [("ja", 0), ("en", 1)])
def test_a_malformed_request_is_the_styled_400(language: str, index: int) -> None:
    response = client(language).get("/", HTTP_HOST="not-this-site.example")

    assert response.status_code == 400
    assert_styled(response.text, language, PAGES[400][index])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("ja", "送信を受け付けられませんでした"), ("en", "Your form could not be accepted")],
)
def test_a_form_without_its_csrf_token_is_the_styled_csrf_page(language: str, heading: str) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language, enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert_styled(response.text, language, heading)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "index"), [("ja", 0), ("en", 1)])
def test_an_unexpected_error_is_the_styled_500(language: str, index: int) -> None:
    response = client(language).get("/test-errors/fail/")

    assert response.status_code == 500
    assert_styled(response.text, language, PAGES[500][index])


@pytest.mark.parametrize(("language", "index"), [("ja", 0), ("en", 1)])
def test_the_500_page_renders_when_the_database_is_gone(
    django_db_blocker: DjangoDbBlocker, language: str, index: int
) -> None:
    browser = client(language)
    browser.cookies["sessionid"] = "a-session-the-database-cannot-be-asked-for"
    with django_db_blocker.block():
        response = browser.get("/")

    assert response.status_code == 500
    assert_styled(response.text, language, PAGES[500][index])


def test_a_500_page_that_cannot_render_is_replaced_by_the_fixed_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
        raise LookupError("the template engine is broken too")

    monkeypatch.setattr("mamoru.core.errors.defaults.server_error", broken)
    response = client("ja").get("/test-errors/fail/")

    assert response.status_code == 500
    assert "<h1>サーバーで問題が発生しました</h1>" in response.text
    assert "Something went wrong on the server" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "host", "status", "detail"),
    [
        ("/api/v1/no-such-operation/", "testserver", 404, "見つかりません。"),
        ("/api/v1/", "not-this-site.example", 400, "リクエストの内容が正しくありません。"),
        ("/api/test-errors/refuse/", "testserver", 403, "この報告を操作する権限がありません。"),
        ("/api/test-errors/fail/", "testserver", 500, "サーバーで問題が発生しました。"),
    ],
)
def test_the_api_answers_errors_in_json(url: str, host: str, status: int, detail: str) -> None:
    response = client("ja").get(url, HTTP_HOST=host)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}
