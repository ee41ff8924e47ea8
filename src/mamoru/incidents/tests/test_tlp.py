"""TLP:RED: a section marked RED reaches only the recipients named for it — never another
recipient's API view, diff, statistics or e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from mamoru.accounts.models import User
from mamoru.incidents.content import Tlp
from mamoru.incidents.testing import (
    ALL_SECTIONS_TEXT,
    BASE,
    content_dict,
    create,
    inbox,
    report_url,
    submit,
)
from mamoru.testing import Cast, SignIn, sign_in

pytestmark = pytest.mark.django_db

SECRET = "攻撃者のIPアドレスは203.0.113.7"


def red_report(named: tuple[str, ...]) -> dict[str, Any]:
    return content_dict(
        people=200,
        sections={**ALL_SECTIONS_TEXT, "cause": SECRET},
        section_tlp={"cause": Tlp.RED, "personal_data": Tlp.RED},
        red_recipients={"cause": named, "personal_data": named},
    )


@pytest.fixture
def sent(cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any, signed_in: SignIn) -> str:
    public_id = create(signed_in(cast.chiyoda, api=True), red_report(("PPC",)))
    with django_capture_on_commit_callbacks(execute=True):
        submit(signed_in(ciso, api=True), public_id)
    return public_id


def detail(user: User) -> dict[str, Any]:
    client = sign_in(user, api=True)
    item: dict[str, Any] = client.get(f"{BASE}/inbox/{inbox(client)[0]['id']}/").json()
    return item


def test_a_red_section_is_withheld_from_recipients_not_named(cast: Cast, sent: str) -> None:
    tokyo = detail(cast.tokyo)
    assert "cause" not in tokyo["content"]["sections"]
    assert "cause" in tokyo["withheld"]
    assert SECRET not in str(tokyo)
    # The facts of a RED section go with it: 東京都 does not learn the number of people.
    assert "personal_data" not in tokyo["content"]["facts"]
    assert "red_recipients" not in tokyo["content"]


def test_the_named_recipient_gets_the_red_section(cast: Cast, sent: str) -> None:
    ppc = detail(cast.ppc)
    assert ppc["content"]["sections"]["cause"] == SECRET
    assert ppc["content"]["section_tlp"]["cause"] == "red"
    assert ppc["content"]["facts"]["personal_data"]["people"] == 200


def test_the_reporter_sees_everything(cast: Cast, sent: str, signed_in: SignIn) -> None:
    report = signed_in(cast.chiyoda, api=True).get(report_url(sent)).json()
    assert report["submissions"][0]["content"]["sections"]["cause"] == SECRET


def test_no_email_carries_a_red_section(cast: Cast, sent: str) -> None:
    # The recipients, and the reporter told that its report went out.
    assert {m.to[0] for m in mail.outbox} == {
        cast.tokyo.email,
        cast.nation.email,
        cast.ppc.email,
        cast.chiyoda.email,
    }
    for message in mail.outbox:
        assert SECRET not in message.body
        assert SECRET not in message.subject
        assert "203.0.113.7" not in message.body


def test_a_change_in_a_red_section_stays_out_of_the_diff(
    cast: Cast, ciso: User, sent: str, signed_in: SignIn
) -> None:
    changed = signed_in(cast.chiyoda, api=True).get(report_url(sent)).json()["draft"]
    changed["sections"]["cause"] = SECRET + "（追加調査で判明）"
    signed_in(cast.chiyoda, api=True).put(report_url(sent), changed, format="json")
    submit(signed_in(ciso, api=True), sent)
    url = report_url(sent, "diff/?from_version=1&to_version=2")
    assert all("cause" not in c["key"] for c in signed_in(cast.tokyo, api=True).get(url).json())
    ppc_keys = [c["key"] for c in signed_in(cast.ppc, api=True).get(url).json()]
    assert ppc_keys == ["sections.cause"]


def test_an_email_only_says_that_something_arrived(cast: Cast, sent: str) -> None:
    (to_ppc,) = [m for m in mail.outbox if m.to == [cast.ppc.email]]
    assert "ログインして確認してください" in to_ppc.body
    assert "千代田区" not in to_ppc.body  # not even who reported
    assert "不正アクセス" not in to_ppc.body


CONTACT = "緊急連絡先の担当 秘匿太郎"


@pytest.fixture
def red_contact(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any, signed_in: SignIn
) -> str:
    """A RED contact and a RED overview, named for PPC only; the personal data RED with no
    text at all (its facts must go with it)."""
    data = content_dict(
        people=321,
        sections={"overview": "概要は全員に", "cause": "原因"},
        section_tlp={"contact": Tlp.RED, "overview": Tlp.RED, "personal_data": Tlp.RED},
        red_recipients={"contact": ("PPC",), "overview": ("PPC",), "personal_data": ("PPC",)},
    )
    data["contact"] = {"name": CONTACT, "phone": "090-0000-1234"}
    data["facts"]["severity"] = "critical"
    data["facts"]["serious"] = True
    public_id = create(signed_in(cast.chiyoda, api=True), data)
    with django_capture_on_commit_callbacks(execute=True):
        submit(signed_in(ciso, api=True), public_id)
    return public_id


def _everything_tokyo_gets(cast: Cast, signed_in: SignIn) -> str:
    client = signed_in(cast.tokyo)
    api = signed_in(cast.tokyo, api=True)
    item = inbox(api)[0]
    pages = [
        client.get("/incidents/inbox/").text,
        client.get(f"/incidents/inbox/{item['id']}/").text,
        api.get(f"{BASE}/inbox/{item['id']}/").text,
        api.get(f"{BASE}/statistics/").text,
        client.get("/incidents/notifications/").text,
    ]
    for fmt in ("csv", "stix", "ppc", "common"):
        pages.append(client.get(f"/incidents/inbox/{item['id']}/export/{fmt}/").content.decode())
    pages += [str(m.body) + str(m.subject) for m in mail.outbox if cast.tokyo.email in m.to]
    return "\n".join(pages)


def test_a_red_contact_overview_and_factual_section_reach_no_other_recipient(
    cast: Cast, red_contact: str, signed_in: SignIn
) -> None:
    seen = _everything_tokyo_gets(cast, signed_in)
    for secret in (CONTACT, "090-0000-1234", "321", "概要は全員に", "criticality", '"major"'):
        assert secret not in seen, secret
    ppc_item = inbox(signed_in(cast.ppc, api=True))[0]
    ppc = signed_in(cast.ppc, api=True).get(f"{BASE}/inbox/{ppc_item['id']}/").json()
    assert ppc["content"]["contact"]["name"] == CONTACT
    assert ppc["content"]["facts"]["personal_data"]["people"] == 321
