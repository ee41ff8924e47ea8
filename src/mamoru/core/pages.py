"""The one helper for pages (healthchecks style: plain function views behind a decorator).

A page view is ``def view(request, principal, …)`` behind ``@page``:

* anonymous people go to the login page; a signed-in person who acts in no organisation
  gets the page saying so (403), with whom to ask;
* a selector that answers ``DoesNotExist`` (the gate hides the object) becomes the styled
  404, exactly as if it did not exist; a service that raises ``PermissionDenied`` becomes
  the styled 403 — views never decide permissions themselves;
* ``act`` runs a service for a form post and flashes its refusal in Japanese, or a success;
* ``paginate`` pages every list (no silent caps).

The principal is whatever ``mamoru.orgs``' middleware put on the request; this module
does not import it (``core`` sits below every domain app).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

P = ParamSpec("P")
T = TypeVar("T")
PrincipalT = TypeVar("PrincipalT")

PAGE_SIZE = 50


def page(
    view: Callable[Concatenate[HttpRequest, PrincipalT, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Call ``view(request, principal, …)`` for a person acting in an organisation."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        principal: Any = getattr(request, "principal", None)
        if principal is None:
            return render(request, "web/no_organisation.html", status=403)
        try:
            return view(request, principal, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc

    update_wrapper(wrapper, view)
    return wrapper


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asks for a page's fragment rather than the whole page.

    htmx restoring history after the cache is missed asks for the whole page again (with
    ``HX-History-Restore-Request``), so that request gets the full layout.
    """
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[T], *, per_page: int = PAGE_SIZE
) -> Page[Any]:
    """The page of ``items`` that ``?page=`` asks for (the last one when it is too large)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def service_errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for found in exc.message_dict.values() for m in found]
    return list(exc.messages)


def run(call: Callable[[], T]) -> tuple[T | None, list[str]]:
    """Call a service: its result, or the Japanese messages of its refusal."""
    try:
        return call(), []
    except ValidationError as exc:
        return None, service_errors(exc)
    except PermissionDenied as exc:
        return None, [str(exc) or gettext("この操作をする権限がありません。")]


def act(request: HttpRequest, call: Callable[[], object], *, success: str = "") -> bool:
    """Call a service for a page that redirects: flash its refusal, or ``success``."""
    _result, errors = run(call)
    for error in errors:
        messages.error(request, error)
    if not errors and success:
        messages.success(request, success)
    return not errors


def error_summary(form: forms.Form) -> list[tuple[str, str, str]]:
    """(anchor, label, message) of every error, for the summary at the top of a form."""
    summary: list[tuple[str, str, str]] = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            summary += [("", "", str(e)) for e in errors]
            continue
        bound = form[name]
        widget = bound.field.widget
        multiple = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        anchor = f"{bound.auto_id}_0" if multiple else bound.id_for_label
        summary += [(anchor, str(bound.label), str(e)) for e in errors]
    return summary


def home_url() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def next_url(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` parameter when it points back to this site, else ``default`` or home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or home_url()
