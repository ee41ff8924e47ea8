"""Password reset by e-mail: no account enumeration, single use, rate limited, audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from mamoru.audit.models import AuditEvent
from mamoru.testing import Cast

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(cast: Cast) -> None:
    known = Client().post(RESET, {"email": cast.hachioji.email})
    unknown = Client().post(RESET, {"email": "nobody@example.jp"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[cast.hachioji.email]]


def test_the_link_sets_a_new_password_once_and_is_audited(cast: Cast) -> None:
    Client().post(RESET, {"email": cast.hachioji.email})
    link = re.search(r"/accounts/password-reset/[^/\s]+/[^/\s]+/", str(mail.outbox[0].body))
    assert link
    client = Client()
    form_page = client.get(link.group(0), follow=True)
    new = "another long passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    cast.hachioji.refresh_from_db()
    assert cast.hachioji.check_password(new)
    assert AuditEvent.objects.filter(action="accounts.password.reset").count() == 1
    assert "このリンクは使えません" in Client().get(link.group(0), follow=True).text


def test_asking_too_often_is_refused_in_japanese(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        assert client.post(RESET, {"email": cast.hachioji.email}).status_code == 302
    refused = client.post(RESET, {"email": cast.hachioji.email})
    assert refused.status_code == 429
    assert "1時間ほど待って" in refused.text
    assert len(mail.outbox) == 5
