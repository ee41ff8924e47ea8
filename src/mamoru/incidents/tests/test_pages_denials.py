"""The page entries of ``denials.py`` hold with the pages mounted (the central
``core/tests/test_denials.py`` runs them once the project's urls include the pages)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mamoru.incidents.tests.denials import PAGES
from mamoru.testing import Cast, Denial, SignIn

pytestmark = pytest.mark.django_db


def test_every_page_has_a_denial_entry() -> None:
    from mamoru.incidents.ui.urls import urlpatterns

    names = {f"incidents:{p.name}" for p in urlpatterns}
    assert names == {d.url_name for d in PAGES}


@pytest.mark.parametrize("denial", PAGES, ids=lambda d: f"{d.method}:{d.url_name}")
def test_page_denial_holds(denial: Denial, cast: Cast, signed_in: SignIn) -> None:
    url = reverse(denial.url_name, kwargs=denial.kwargs)
    anonymous = getattr(Client(), denial.method)(url)
    assert anonymous.status_code == 302
    assert "/accounts/login" in anonymous["Location"]
    for who in denial.refused:
        response = getattr(signed_in(getattr(cast, who)), denial.method)(url)
        assert response.status_code in denial.refusal_statuses, f"{who} reached {url}"
