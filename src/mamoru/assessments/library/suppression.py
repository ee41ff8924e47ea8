"""The small-cell rule of peer statistics, in one function that can be swapped.

The lead will move small-cell suppression into ``core`` later; everything in
:mod:`mamoru.assessments.library.peers` calls :func:`is_disclosive` and nothing else, so the
swap is one import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

# A peer group is shown only when it has at least MIN_OTHERS organisations besides the
# viewer, so a group must hold MIN_OTHERS + 1 (the viewer may be one of them).
MIN_OTHERS: Final = 5
MIN_GROUP: Final = MIN_OTHERS + 1
# Below this size, a share that puts every organisation but possibly one (the viewer) in
# one answer category is hidden: in a group of 8 where 8 (or 7 plus the viewer) answered
# 実施, the viewer would learn every other organisation's answer.
SMALL_GROUP: Final = 20


def is_disclosive(size: int, outcome_counts: Sequence[int] = ()) -> bool:
    """Whether a statistic over ``size`` organisations could reveal one of them.

    ``outcome_counts`` are the numbers of organisations in each answer category (for an
    item rate: 実施, not 実施, no usable answer), empty for a statistic of values such as a
    median. Disclosive when the group is smaller than :data:`MIN_GROUP`, or when it is
    smaller than :data:`SMALL_GROUP` and one category holds all organisations or all but
    one — taking the viewer's own answer out would leave every other answer known.
    """
    if size < MIN_GROUP:
        return True
    return size < SMALL_GROUP and any(count >= size - 1 for count in outcome_counts)
