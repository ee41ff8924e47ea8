"""The attack-surface app routes no URL yet (its pages are issue 9)."""

from mamoru.testing import Denial

DENIALS: list[Denial] = []
