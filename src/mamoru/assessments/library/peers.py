"""Peer statistics from a frozen snapshot, built so that nobody can infer one organisation.

Groups. Two hierarchies, each a tree under "all organisations":

* by size class — 全団体 → the size class nationally (全国の町) → the size class within one
  prefecture (北海道の町);
* by prefecture — 全団体 → every organisation of one prefecture.

A viewer is shown the first *published* group of its chain (size class in its prefecture →
size class nationally → all; or its prefecture → all): the fallback to a wider group.

What is published, and why it cannot be differenced:

1. Everything is computed once per snapshot (:class:`PeerStatistics`), never per viewer,
   and every viewer of a group sees the same figures for it. (Statistics that leave the
   viewer out would differ between two viewers by exactly their two answers, and each knows
   its own.) The snapshot is frozen at campaign close, so figures never move afterwards.
2. A group is published only if :func:`suppression.is_disclosive` says it is safe: at least
   ``MIN_GROUP`` (6) organisations, i.e. 5 besides any viewer inside it.
3. Complementary suppression in each tree: for every published group, the organisations
   not covered by its published sub-groups (the *remainder*, which anyone can compute as
   the group's figure minus its sub-groups' figures) must be none or a safe group
   themselves; otherwise the smallest published sub-group is withdrawn, until every
   remainder is safe. Because the published groups of one tree nest, the remainders are
   exactly what differencing their counts can reveal.
4. Item implementation rates are linear (counts), so they are published from the size-class
   tree only, per item, with the rule applied to the three answer categories (実施 / not
   実施 / no usable answer): in a small group, a rate that puts all organisations but
   possibly one in one category (0 % or 100 % once the viewer's own answer is taken out)
   is suppressed, and complementary suppression applies to the remainders as well.
5. Score distributions are published as quartiles (rounded to 0.1), never as means or sums,
   which would be linear and could be differenced across the two trees. Only the overall
   score and the CSF functions are compared by prefecture (:data:`PREFECTURE_METRIC`);
   finer metrics by size class only. A small group in which all organisations but possibly one share one value is
   not published either (its quartiles would show that value to the odd one out, as a
   100 % rate would), and remainders must hold none or at least ``MIN_GROUP``.

Known limits: colluding organisations that pool their own answers are not defended
against; quartiles of crossing groups (a size class and a prefecture) can bound, not
reveal, a value; the number of organisations with a figure per group shows who took part.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, NamedTuple

from mamoru.assessments.library.model import SIZE_CLASS_LABELS, SIZE_CLASSES
from mamoru.assessments.library.scoring import Status
from mamoru.assessments.library.snapshot import OrgRecord, PeerSnapshot
from mamoru.assessments.library.suppression import MIN_OTHERS, is_disclosive


class Scope(StrEnum):
    ALL = "all"
    SIZE_CLASS = "size_class"
    SIZE_CLASS_IN_PREFECTURE = "size_class_in_prefecture"
    PREFECTURE = "prefecture"


class Dimension(StrEnum):
    """The hierarchy a comparison follows."""

    SIZE_CLASS = "size_class"
    PREFECTURE = "prefecture"


# Metrics compared by prefecture: the overall score and the six CSF functions (the radar
# chart). Finer groups (a category or a chapter) can hinge on one or two items, and their
# quartiles over groups that cross the size-class tree would add inequalities about those
# items' answers to the rates published there; they are compared by size class only.
PREFECTURE_METRIC: Final = re.compile(r"^(coverage|level):(overall|csf:(GV|ID|PR|DE|RS|RC))$")

_SCOPE_ORDER: Final = (
    Scope.ALL,
    Scope.SIZE_CLASS,
    Scope.PREFECTURE,
    Scope.SIZE_CLASS_IN_PREFECTURE,
)


class PeerGroup(NamedTuple):
    """A group of organisations: all, a size class, a size class in a prefecture, or a
    prefecture (``prefecture`` is the two-digit prefecture code). A named tuple rather than
    a dataclass: groups are dictionary keys in every inner loop, and tuples hash in C."""

    scope: Scope
    size_class: str | None = None
    prefecture: str | None = None

    def label(self, prefecture_names: Mapping[str, str] | None = None) -> str:
        """The group's name in Japanese, e.g. ``北海道の町``."""
        names = prefecture_names or {}
        kind = SIZE_CLASS_LABELS.get(self.size_class or "", self.size_class or "")
        prefecture = names.get(self.prefecture or "", f"都道府県コード {self.prefecture}")
        if self.scope is Scope.ALL:
            return "全団体"
        if self.scope is Scope.SIZE_CLASS:
            return f"全国の{kind}"
        if self.scope is Scope.PREFECTURE:
            return f"{prefecture}内の全団体"
        return f"{prefecture}の{kind}"

    def sort_key(self) -> tuple[int, int, str]:
        kind = SIZE_CLASSES.index(self.size_class) if self.size_class in SIZE_CLASSES else -1
        return (_SCOPE_ORDER.index(self.scope), kind, self.prefecture or "")


ALL: Final = PeerGroup(Scope.ALL)


def chain(dimension: Dimension, size_class: str, prefecture: str) -> tuple[PeerGroup, ...]:
    """The groups a viewer may be shown, narrowest first (the fallback order)."""
    if dimension is Dimension.PREFECTURE:
        return (PeerGroup(Scope.PREFECTURE, prefecture=prefecture), ALL)
    return (
        PeerGroup(Scope.SIZE_CLASS_IN_PREFECTURE, size_class, prefecture),
        PeerGroup(Scope.SIZE_CLASS, size_class),
        ALL,
    )


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: the organisation's id (``None`` for someone outside the snapshot), its
    size class and prefecture code."""

    org_id: str | None
    size_class: str
    prefecture: str


@dataclass(frozen=True, slots=True)
class Distribution:
    """Quartiles of one metric over a published group (rounded to 0.1)."""

    group: PeerGroup
    metric: str
    n: int
    q1: float
    median: float
    q3: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """A viewer against its peers: the distribution of the group shown, the viewer's own
    value (from the snapshot), its percentile among the others (0–100, ties counted half)
    and how many groups of its chain were skipped as too small (0: the narrowest)."""

    distribution: Distribution
    value: float | None
    percentile: float | None
    fallback: int


@dataclass(frozen=True, slots=True)
class ItemRate:
    """The share of organisations in a group that implement an item (実施), among those
    that gave a usable answer (not 該当なし, not unanswered)."""

    group: PeerGroup
    item_id: str
    answered: int
    rate: float | None  # percent; None when nobody gave a usable answer


# --- the publication plan -------------------------------------------------------------------

Counts = tuple[int, ...]


def _path(leaf: PeerGroup) -> tuple[PeerGroup, ...]:
    """The leaf and its ancestors up to the root, in its own tree."""
    if leaf.scope is Scope.SIZE_CLASS_IN_PREFECTURE:
        return (leaf, PeerGroup(Scope.SIZE_CLASS, leaf.size_class), ALL)
    return (leaf, ALL)


def _aggregate(
    leaf_counts: Mapping[PeerGroup, Counts],
) -> tuple[dict[PeerGroup, list[int]], dict[PeerGroup, set[PeerGroup]]]:
    """The counts of every group of the tree (summed over its leaves) and its children."""
    counts: dict[PeerGroup, list[int]] = {}
    children: dict[PeerGroup, set[PeerGroup]] = defaultdict(set)
    for leaf, vector in leaf_counts.items():
        path = _path(leaf)
        for node in path:
            total = counts.setdefault(node, [0] * len(vector))
            for index, count in enumerate(vector):
                total[index] += count
        for child, parent in itertools.pairwise(path):
            children[parent].add(child)
    return counts, children


def publication_plan(leaf_counts: Mapping[PeerGroup, Counts]) -> frozenset[PeerGroup]:
    """The groups of one tree whose item rate may be published, given the counts of its
    leaves per answer category (実施, not 実施, no usable answer); module docstring, 2–4."""
    return _rate_plan(*_aggregate(leaf_counts))


def _rate_plan(
    counts: Mapping[PeerGroup, Sequence[int]], children: Mapping[PeerGroup, set[PeerGroup]]
) -> frozenset[PeerGroup]:
    safe = {node for node, vector in counts.items() if not is_disclosive(sum(vector), vector)}
    return _plan(counts, children, safe, by_outcome=True)


def _plan(
    counts: Mapping[PeerGroup, Sequence[int]],
    children: Mapping[PeerGroup, set[PeerGroup]],
    safe: set[PeerGroup],
    *,
    by_outcome: bool,
) -> frozenset[PeerGroup]:
    """Complementary suppression: from the groups ``safe`` on their own, withdraw the
    smallest published sub-group while some published group's remainder is disclosive.
    ``by_outcome``: judge remainders by their answer categories too, not only their size."""

    def disclosive(vector: Sequence[int]) -> bool:
        return is_disclosive(sum(vector), vector if by_outcome else ())

    published = set(safe)
    order = sorted(counts, key=PeerGroup.sort_key)
    changed = True
    while changed:
        changed = False
        for node in order:
            if node not in published:
                continue
            tops = _maximal_published(node, children, published)
            remainder = [
                total - sum(counts[top][index] for top in tops)
                for index, total in enumerate(counts[node])
            ]
            if tops and sum(remainder) and disclosive(remainder):
                # Withdraw the smallest published sub-group: the remainder grows by it.
                published.discard(min(tops, key=lambda g: (sum(counts[g]), g.sort_key())))
                changed = True
    return frozenset(published)


def _maximal_published(
    node: PeerGroup, children: Mapping[PeerGroup, set[PeerGroup]], published: set[PeerGroup]
) -> list[PeerGroup]:
    found: list[PeerGroup] = []
    stack = list(children.get(node, ()))
    while stack:
        child = stack.pop()
        if child in published:
            found.append(child)
        else:
            stack.extend(children.get(child, ()))
    return found


# --- statistics -----------------------------------------------------------------------------

_CATEGORY: Final[Mapping[str, int]] = {
    Status.MET.value: 0,
    Status.PARTIAL.value: 1,
    Status.UNMET.value: 1,
    Status.NOT_APPLICABLE.value: 2,
    Status.UNANSWERED.value: 2,
}


def _leaves(record: OrgRecord) -> tuple[PeerGroup, PeerGroup]:
    return (
        PeerGroup(Scope.SIZE_CLASS_IN_PREFECTURE, record.size_class, record.prefecture),
        PeerGroup(Scope.PREFECTURE, prefecture=record.prefecture),
    )


def _members(record: OrgRecord) -> tuple[PeerGroup, ...]:
    """Every group ``record`` belongs to."""
    size_leaf, prefecture = _leaves(record)
    return (*_path(size_leaf), prefecture)


class PeerStatistics:
    """Every peer statistic of one snapshot, computed once (see the module docstring).

    ``include`` optionally limits the metrics computed (e.g. only ``coverage:*``).
    """

    def __init__(
        self, snapshot: PeerSnapshot, *, include: Callable[[str], bool] | None = None
    ) -> None:
        self.snapshot = snapshot
        self._values: dict[tuple[str, PeerGroup], list[float]] = {}
        self._distributions: dict[tuple[str, PeerGroup], Distribution] = {}
        self._rates: dict[tuple[str, PeerGroup], ItemRate] = {}
        self._compute_distributions(include)
        self._compute_rates()

    # the figures

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(sorted({metric for metric, _ in self._distributions}))

    @property
    def published(self) -> tuple[int, int]:
        """How many distributions and how many item rates are published."""
        return len(self._distributions), len(self._rates)

    def distribution(self, group: PeerGroup, metric: str) -> Distribution | None:
        """The quartiles of ``metric`` in ``group``; ``None`` when the group is not published."""
        return self._distributions.get((metric, group))

    def group_item_rate(self, group: PeerGroup, item_id: str) -> ItemRate | None:
        """The implementation rate of ``item_id`` in ``group``; ``None`` when suppressed."""
        return self._rates.get((item_id, group))

    def compare(
        self, viewer: Viewer, metric: str, dimension: Dimension = Dimension.SIZE_CLASS
    ) -> Comparison | None:
        """The viewer's peer comparison for ``metric``: the first published group of its
        chain; ``None`` when not even the whole snapshot may be shown."""
        record = self._record(viewer)
        value = record.values.get(metric) if record else None
        for fallback, group in enumerate(chain(dimension, *self._placement(viewer))):
            distribution = self._distributions.get((metric, group))
            if distribution is None:
                continue
            member = record is not None and value is not None and group in _members(record)
            if distribution.n - int(member) < MIN_OTHERS:
                continue  # kept by is_disclosive already; checked again for the viewer
            percentile = self._percentile(metric, group, value, member=member)
            return Comparison(distribution, value, percentile, fallback)
        return None

    def item_rate(self, viewer: Viewer, item_id: str) -> ItemRate | None:
        """The rate of ``item_id`` in the first group of the viewer's size-class chain that
        publishes it."""
        for group in chain(Dimension.SIZE_CLASS, *self._placement(viewer)):
            rate = self._rates.get((item_id, group))
            if rate is not None:
                return rate
        return None

    def item_rates(self, viewer: Viewer, item_ids: Iterable[str]) -> dict[str, ItemRate]:
        """:meth:`item_rate` for each of ``item_ids`` that has a published rate."""
        rates = {item_id: self.item_rate(viewer, item_id) for item_id in item_ids}
        return {item_id: rate for item_id, rate in rates.items() if rate is not None}

    # computing

    def _record(self, viewer: Viewer) -> OrgRecord | None:
        return self.snapshot.record(viewer.org_id) if viewer.org_id else None

    def _placement(self, viewer: Viewer) -> tuple[str, str]:
        """The viewer's size class and prefecture as the snapshot froze them (a city that
        became a 中核市 after the close is compared where its figures were counted)."""
        record = self._record(viewer)
        if record is not None:
            return record.size_class, record.prefecture
        return viewer.size_class, viewer.prefecture

    def _percentile(
        self, metric: str, group: PeerGroup, value: float | None, *, member: bool
    ) -> float | None:
        if value is None:
            return None
        values = self._values[(metric, group)]
        below = bisect.bisect_left(values, value)
        equal = bisect.bisect_right(values, value) - below - int(member)
        others = len(values) - int(member)
        return round(100.0 * (below + equal / 2) / others, 1)

    def _compute_distributions(self, include: Callable[[str], bool] | None) -> None:
        by_leaf: dict[str, dict[PeerGroup, list[float]]] = defaultdict(lambda: defaultdict(list))
        for record in self.snapshot.records:
            record_leaves = _leaves(record)
            for metric, value in record.values.items():
                if include is None or include(metric):
                    for leaf in record_leaves:
                        by_leaf[metric][leaf].append(value)
        for metric, leaves in by_leaf.items():
            trees = [Scope.SIZE_CLASS_IN_PREFECTURE]
            if PREFECTURE_METRIC.match(metric):
                trees.append(Scope.PREFECTURE)
            for tree in trees:
                node_values: dict[PeerGroup, list[float]] = defaultdict(list)
                for leaf, values in leaves.items():
                    if leaf.scope is tree:
                        for node in _path(leaf):
                            node_values[node].extend(values)
                counts, children = _aggregate(
                    {leaf: (len(v),) for leaf, v in leaves.items() if leaf.scope is tree}
                )
                # A small group where (nearly) everyone has the same value would show it
                # through its quartiles, as a 0 % or 100 % rate would: judged by the
                # counts of distinct values. Remainders are judged by size.
                safe = {
                    node
                    for node, values in node_values.items()
                    if not is_disclosive(len(values), list(Counter(values).values()))
                }
                for group in _plan(counts, children, safe, by_outcome=False):
                    self._publish_distribution(metric, group, sorted(node_values[group]))

    def _publish_distribution(self, metric: str, group: PeerGroup, values: list[float]) -> None:
        self._values[(metric, group)] = values
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        self._distributions[(metric, group)] = Distribution(
            group, metric, len(values), round(q1, 1), round(median, 1), round(q3, 1)
        )

    def _compute_rates(self) -> None:
        counts: dict[str, dict[PeerGroup, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0, 0])
        )
        for record in self.snapshot.records:
            leaf = _leaves(record)[0]
            for item_id, outcome in record.outcomes.items():
                counts[item_id][leaf][_CATEGORY[outcome]] += 1
        for item_id, leaves in counts.items():
            totals, children = _aggregate({leaf: tuple(v) for leaf, v in leaves.items()})
            safe = {
                node for node, vector in totals.items() if not is_disclosive(sum(vector), vector)
            }
            for group in _plan(totals, children, safe, by_outcome=True):
                met, not_met, _ = totals[group]
                answered = met + not_met
                rate = round(100.0 * met / answered, 1) if answered else None
                self._rates[(item_id, group)] = ItemRate(group, item_id, answered, rate)
