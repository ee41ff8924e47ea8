"""The derived month-by-month state and the dashboards read from it: a month without a
report carries the last one forward and falls behind; the prefecture sees its
municipalities late-first; the nation sees every prefecture, item, step and month — in
the same number of queries however many organisations report."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamoru.orgs.models import Organisation
from mamoru.orgs.selectors import organisation_by_code
from mamoru.progress import selectors, services
from mamoru.progress.lateness import add_months
from mamoru.progress.models import Campaign, OrganisationMonth
from mamoru.progress.testing import make_campaign, principal, submit_month
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast

pytestmark = pytest.mark.django_db

ALL_AT = dict.fromkeys((f"{n:02d}" for n in range(1, 21)), 0)


def at(step: int) -> dict[str, int]:
    return dict.fromkeys(ALL_AT, step)


def month_row(campaign: Campaign, code: str, month: date) -> OrganisationMonth:
    return OrganisationMonth.objects.unscoped("test").get(
        campaign=campaign, organisation__code=code, month=month
    )


def test_a_month_without_a_report_carries_the_last_one_and_falls_behind(
    campaign: Campaign, start: date
) -> None:
    submit_month(campaign, CHIYODA, start, at(1))
    services.campaign_rollups_refresh(campaign=campaign)
    first = month_row(campaign, CHIYODA, start)
    assert first.reported
    assert first.steps == [1] * 20
    assert first.late_items == 0
    # Six months on without a report: step 2 was due in the first month, so 6 months
    # behind (戸籍 is planned two months later: 4 months behind). Late with the margin of 2.
    later = month_row(campaign, CHIYODA, add_months(start, 6))
    assert not later.reported
    assert later.last_reported == start
    assert later.steps == [1] * 20
    assert later.behind[0] == 6
    assert later.behind[8] == 4
    assert later.late_items == 20
    never = month_row(campaign, HACHIOJI, start)
    assert never.last_reported is None
    assert never.steps == [0] * 20


def test_the_prefecture_sees_its_municipalities_late_first(
    cast: Cast, campaign: Campaign, start: date, this_month: date
) -> None:
    submit_month(campaign, CHIYODA, this_month, at(30))
    submit_month(campaign, HACHIOJI, this_month, at(5))
    submit_month(campaign, OSAKA_CITY, this_month, at(1))
    services.campaign_rollups_refresh(campaign=campaign)
    tokyo = principal(cast.tokyo)
    prefecture = selectors.prefecture_get(principal=tokyo, code=TOKYO)
    board = selectors.prefecture_dashboard(
        principal=tokyo, campaign=campaign, prefecture=prefecture, month=this_month
    )
    order = [row.organisation.code for row in board.rows]
    assert order == [TOKYO, HACHIOJI, CHIYODA]  # 東京都 itself never reported: most behind
    assert OSAKA_CITY not in order
    assert board.total.participants == 3
    assert board.total.reported == 2
    by_code = selectors.prefecture_dashboard(
        principal=tokyo, campaign=campaign, prefecture=prefecture, month=this_month, sort="code"
    )
    assert [row.organisation.code for row in by_code.rows] == [TOKYO, CHIYODA, HACHIOJI]


def test_the_nation_sees_every_prefecture_item_step_and_month(
    cast: Cast, campaign: Campaign, start: date, this_month: date
) -> None:
    submit_month(campaign, CHIYODA, start, at(2))
    submit_month(campaign, CHIYODA, this_month, at(12))
    submit_month(campaign, OSAKA_CITY, this_month, at(40))
    services.campaign_rollups_refresh(campaign=campaign)
    board = selectors.national_dashboard(
        principal=principal(cast.nation), campaign=campaign, month=this_month
    )
    prefectures = {p["code"]: t for p, t in board.prefectures}
    assert set(prefectures) == {TOKYO, "270008"}
    assert prefectures["270008"].done == 20
    assert prefectures["270008"].progress_percent == 100
    assert prefectures[TOKYO].participants == 3
    assert prefectures[TOKYO].reported == 1
    assert len(board.items) == 20
    assert board.items[0][1].participants == 4
    assert dict(board.steps) == {0: 40, 12: 20, 40: 20}
    assert len(board.trend) == 12
    assert board.trend[0][1].reported == 1
    assert board.trend[-1][1].reported == 2
    assert board.total.participants == 4


def test_only_the_nation_sees_the_national_dashboard(
    cast: Cast, campaign: Campaign, this_month: date
) -> None:
    for who in ("tokyo", "chiyoda"):
        with pytest.raises(PermissionDenied):
            selectors.national_dashboard(
                principal=principal(getattr(cast, who)), campaign=campaign, month=this_month
            )


@pytest.mark.parametrize("who", ["chiyoda", "osaka", "osaka_city"])
def test_a_prefecture_dashboard_is_hidden_from_others(cast: Cast, who: str) -> None:
    with pytest.raises(Organisation.DoesNotExist):
        selectors.prefecture_get(principal=principal(getattr(cast, who)), code=TOKYO)


def _queries(cast: Cast, campaign: Campaign, month: date) -> int:
    nation, tokyo = principal(cast.nation), principal(cast.tokyo)
    prefecture = organisation_by_code(code=TOKYO)
    with CaptureQueriesContext(connection) as captured:
        board = selectors.national_dashboard(principal=nation, campaign=campaign, month=month)
        assert board.prefectures
        heat = selectors.prefecture_dashboard(
            principal=tokyo, campaign=campaign, prefecture=prefecture, month=month
        )
        list(heat.rows[:50])
    return len(captured.captured_queries)


def test_the_dashboards_take_the_same_queries_for_more_organisations(
    cast: Cast, start: date, this_month: date
) -> None:
    small = make_campaign(codes=[CHIYODA, OSAKA_CITY], start=start, key="small")
    codes = list(
        Organisation.objects.filter(prefecture_code__in=["13", "27", "01"]).values_list(
            "code", flat=True
        )
    )
    large = make_campaign(codes=codes, start=start, key="large")
    for campaign in (small, large):
        submit_month(campaign, CHIYODA, this_month, at(3))
        services.campaign_rollups_refresh(campaign=campaign)
    assert len(codes) > 250
    assert _queries(cast, small, this_month) == _queries(cast, large, this_month)
