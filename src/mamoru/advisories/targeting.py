"""Who an advisory reaches: an audience (``mamoru.progress.audience``), or — when the
attack-surface diagnosis is there to say it — the organisations whose internet-facing
services run an affected product.

The extension point: the ASM app (issue 9, built in parallel) is expected to expose
``mamoru.asm.selectors.organisations_exposing(*, products)`` taking the
:class:`~mamoru.advisories.products.AffectedProduct` list and returning the primary keys
of the organisations with a matching identified service. :func:`exposure_source` finds
it when it exists (asm sits below this app), and advisories may then be targeted by
exposure; until then the publish form and the API say that exposure targeting is not
available, and advisories go to an audience.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Protocol, cast

from mamoru.advisories.products import AffectedProduct

ASM_SELECTORS = "mamoru.asm.selectors"
ASM_FUNCTION = "organisations_exposing"


class ExposureSource(Protocol):
    """Organisations (primary keys) exposing one of ``products`` on the internet."""

    def __call__(self, *, products: Sequence[AffectedProduct]) -> Iterable[int]: ...


def exposure_source() -> ExposureSource | None:
    """The ASM app's selector, or None while the platform has no attack-surface data."""
    try:
        module = importlib.import_module(ASM_SELECTORS)
    except ModuleNotFoundError:
        return None
    found = getattr(module, ASM_FUNCTION, None)
    return cast("ExposureSource", found) if callable(found) else None
