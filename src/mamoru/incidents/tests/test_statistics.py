"""Aggregates: small counts suppressed, no differencing, nothing for those not addressed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mamoru.accounts.models import User
from mamoru.core.suppression import HIDDEN_TEXT, THRESHOLD, suppress, suppress_value
from mamoru.incidents.content import Tlp
from mamoru.incidents.routing import Category
from mamoru.incidents.selectors import incident_statistics
from mamoru.incidents.services import report_approve_and_submit, report_create
from mamoru.incidents.testing import BASE, content_dict, principal
from mamoru.testing import Cast, SignIn


def test_cells_below_five_are_hidden() -> None:
    table = suppress({"a": 12, "b": 4, "c": 7, "d": 0})
    counts = {c.key: c.count for c in table.cells}
    assert counts["b"] is None
    assert table.cells[1].display == HIDDEN_TEXT
    assert counts["d"] == 0  # "none" identifies no one


def test_a_single_hidden_cell_gets_a_complementary_one() -> None:
    # Without it, b = 23 - 12 - 7 = 4 could be recomputed from the total.
    table = suppress({"a": 12, "b": 4, "c": 7})
    counts = {c.key: c.count for c in table.cells}
    assert counts == {"a": 12, "b": None, "c": None}  # c: the smallest shown cell
    assert table.total == 23
    # 7 is not "<5": it is shown as withheld, and b as small.
    assert [c.display for c in table.cells] == ["12", "<5", "秘匿"]


def test_two_hidden_cells_need_no_complement() -> None:
    counts = {c.key: c.count for c in suppress({"a": 12, "b": 4, "c": 3}).cells}
    assert counts == {"a": 12, "b": None, "c": None}


def test_a_small_total_is_hidden_too() -> None:
    table = suppress({"a": 3, "b": 0})
    assert table.total is None
    assert table.total_display == HIDDEN_TEXT
    assert suppress_value(4) is None
    assert suppress_value(5) == 5


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 30), min_size=1))
def test_no_hidden_cell_can_be_recomputed(counts: dict[str, int]) -> None:
    table = suppress(counts)
    hidden = [c for c in table.cells if c.count is None]
    for cell in table.cells:
        assert cell.count is None or cell.count == 0 or cell.count >= THRESHOLD
    if table.total is not None and hidden:
        # With a total shown, the hidden cells only ever appear as a sum of two or more.
        assert len([c for c in hidden if counts[c.key] > 0]) >= 2


pytestmark_db = pytest.mark.django_db


def _submit(cast: Cast, ciso: User, **kwargs: Any) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(**kwargs))
    report_approve_and_submit(report=report, principal=principal(ciso))


@pytest.fixture
def eight_reports(cast: Cast, ciso: User) -> None:
    for _ in range(5):
        _submit(cast, ciso, category=Category.RANSOMWARE, serious=True)
    for _ in range(3):
        _submit(cast, ciso, category=Category.DDOS)


@pytestmark_db
def test_the_prefecture_sees_suppressed_counts(cast: Cast, eight_reports: None) -> None:
    stats = incident_statistics(principal=principal(cast.tokyo))
    assert stats.total == 8
    category = {c.key: c.count for c in stats.tables["category"].cells}
    # ddos (3) is hidden, and ransomware (5) with it: 8 - 5 would give 3 away.
    assert category["ddos"] is None
    assert category["ransomware"] is None
    assert category["malware"] == 0
    assert {c.key: c.count for c in stats.tables["phase"].cells}["preliminary"] == 8
    assert [(c.label, c.count) for c in stats.tables["prefecture"].cells] == [("東京都", 8)]
    assert stats.serious_cyber_attacks == 5
    assert stats.serious_cyber_attacks_known


@pytestmark_db
def test_a_small_kpi_is_hidden(cast: Cast, ciso: User) -> None:
    for _ in range(3):
        _submit(cast, ciso, category=Category.RANSOMWARE, serious=True)
    stats = incident_statistics(principal=principal(cast.nation))
    assert stats.total is None
    assert stats.serious_cyber_attacks is None


@pytestmark_db
def test_other_prefectures_and_siblings_get_empty_statistics(
    cast: Cast, eight_reports: None, signed_in: SignIn
) -> None:
    for user in (cast.osaka, cast.osaka_city, cast.hachioji, cast.ppc):
        body = signed_in(user, api=True).get(f"{BASE}/statistics/").json()
        assert body["total"] == 0
        assert all(c["count"] == 0 for c in body["category"]["cells"])
    body = signed_in(cast.nation, api=True).get(f"{BASE}/statistics/").json()
    assert body["total"] == 8
    assert "千代田区" not in str(body)
    assert {c["key"]: c["display"] for c in body["category"]["cells"]}["ddos"] == "<5"


@pytestmark_db
def test_ppc_counts_only_what_it_is_granted(cast: Cast, ciso: User) -> None:
    # PPC is granted the category (the ground of 規則第43条第3号), but here it is marked
    # TLP:RED for the prefecture alone: PPC may not count what it may not see.
    for _ in range(5):
        _submit(
            cast,
            ciso,
            category=Category.DATA_LEAK,
            people=500,
            section_tlp={"category": Tlp.RED},
            red_recipients={"category": ("130001",)},
        )
    stats = incident_statistics(principal=principal(cast.ppc))
    category = {c.key: c.count for c in stats.tables["category"].cells}
    assert category["undisclosed"] == 5
    assert category["data_leak"] == 0
    assert not stats.serious_cyber_attacks_known


def test_the_lists_people_open_are_recorded_once_each(cast: Cast, signed_in: SignIn) -> None:
    from mamoru.audit.models import AuditEvent

    client = signed_in(cast.tokyo)
    for url in ("/incidents/inbox/", "/incidents/statistics/", "/incidents/notifications/"):
        assert client.get(url).status_code == 200
    signed_in(cast.tokyo, api=True).get("/api/v1/incidents/overdue/")
    client.get("/organisations/131016/")
    actions = list(
        AuditEvent.objects.filter(actor_id=cast.tokyo.pk).values_list("action", flat=True)
    )
    for action in (
        "incidents.inbox.list",
        "incidents.statistics.read",
        "incidents.notifications.list",
        "incidents.overdue.list",
        "orgs.organisation.read",
    ):
        assert actions.count(action) == 1, action
