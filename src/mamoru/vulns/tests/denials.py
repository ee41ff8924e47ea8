"""Vulnerability intelligence routes no URL: it is shown on the attack-surface pages."""

from mamoru.testing import Denial

DENIALS: list[Denial] = []
