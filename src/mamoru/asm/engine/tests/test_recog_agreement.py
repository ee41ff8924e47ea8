"""Agreement of our rules with Rapid7 Recog's examples stays at or above the floors reached.

The floors are the figures measured when the rules were last tuned (rounded down); a rule
change that lowers agreement fails here. ``covered`` is restricted to the examples whose
product our rules can name; ``product`` is over every example for which Recog names one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mamoru.asm.engine.identify.recog_agreement import PROTOCOLS, Tally, measure, recog_dir

REPO_ROOT = Path(__file__).resolve().parents[5]
DATA = recog_dir(REPO_ROOT)

# protocol: (product agreement over all examples, over covered examples) — percentages.
FLOORS: dict[str, tuple[float, float]] = {
    "ssh_banners": (99.5, 99.5),
    "ftp_banners": (99.5, 99.5),
    "smtp_banners": (99.5, 99.5),
    "imap_banners": (99.5, 99.5),
    "pop_banners": (99.5, 99.5),
    "http_servers": (99.0, 99.5),
    "mysql_banners": (97.5, 97.5),
    "telnet_banners": (95.5, 98.5),
    "dns_versionbind": (97.0, 99.5),
}

pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"Recog data not found at {DATA} (set MAMORU_RECOG_DIR)"
)


@pytest.fixture(scope="module")
def results() -> dict[str, Tally]:
    return measure(DATA)


@pytest.mark.parametrize("protocol", sorted(FLOORS))
def test_agreement_with_recog_stays_above_the_floor(
    results: dict[str, Tally], protocol: str
) -> None:
    tally = results[protocol]
    overall, covered = FLOORS[protocol]
    assert tally.examples > 0
    assert 100 * tally.share(tally.product_agree, tally.with_product) >= overall
    assert 100 * tally.share(tally.covered_agree, tally.covered) >= covered


def test_every_measured_protocol_has_a_floor() -> None:
    assert set(FLOORS) == set(PROTOCOLS)
