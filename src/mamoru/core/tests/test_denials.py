"""Every URL pattern has a denial test, and every denial holds.

Each app lists its URLs in ``mamoru/<app>/tests/denials.py`` as ``DENIALS = [Denial(…)]``.
The first test fails when a URL pattern has no entry, so a new page or API operation
cannot land without saying who must be refused.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mamoru.testing import Cast, Denial, SignIn, all_denials

# Third-party URL names that are not ours to test (none are routed today).
IGNORED_PREFIXES: tuple[str, ...] = ()


def url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= url_names(p.url_patterns, ns)
        elif p.name:
            names.add(prefix + p.name)
    return names


def test_every_named_url_has_a_denial_entry() -> None:
    covered = {d.url_name for d in all_denials()}
    routed = {
        n for n in url_names(get_resolver().url_patterns) if not n.startswith(IGNORED_PREFIXES)
    }
    assert routed - covered == set(), "add a Denial for these URLs in the app's tests/denials.py"


def test_every_url_pattern_is_named() -> None:
    def unnamed(patterns: list[URLPattern | URLResolver]) -> list[str]:
        out: list[str] = []
        for p in patterns:
            if isinstance(p, URLResolver):
                out += unnamed(p.url_patterns)
            elif not p.name:
                out.append(str(p.pattern))
        return out

    assert unnamed(get_resolver().url_patterns) == []


@pytest.mark.django_db
@pytest.mark.parametrize("denial", all_denials(), ids=lambda d: f"{d.method}:{d.url_name}")
def test_denial_holds(denial: Denial, cast: Cast, signed_in: SignIn) -> None:
    url = reverse(denial.url_name, kwargs=denial.kwargs)
    anonymous = getattr(Client(), denial.method)(url)
    if denial.public:  # public means public: anonymous visitors really reach it
        assert anonymous.status_code < 400, (
            f"public {url} refused anonymous ({anonymous.status_code})"
        )
        return
    assert anonymous.status_code in denial.refusal_statuses, f"anonymous reached {url}"
    if anonymous.status_code == 302:
        assert "/accounts/login" in anonymous["Location"]
    for who in denial.refused:
        # Signed in with a verified second factor, so a refusal comes from the gate, not MFA.
        client = signed_in(getattr(cast, who))
        response = getattr(client, denial.method)(url)
        assert response.status_code in denial.refusal_statuses, f"{who} reached {url}"
