"""An attacker tries to learn one organisation's answer from the peer statistics, and fails.

The attacker is an organisation of the snapshot. It knows its own answer, which groups
exist and who is in each (size classes and prefectures are public), and every item rate
published to anybody (colleagues in other organisations pass them on). It then solves for
everyone's answers by brute force: every assignment of answers consistent with all the
published counts. If the target's answer is the same in every consistent assignment, the
attack succeeded. The same attacker succeeds against a naive publisher (threshold only,
figures computed live), which shows it is a real attack and not a test that cannot fail.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from mamoru.assessments.library import (
    ALL,
    MIN_GROUP,
    OrgRecord,
    PeerGroup,
    PeerStatistics,
    Scope,
)
from mamoru.assessments.tests.peer_helpers import rec, snap

ITEM = "TEC-10"  # 外部からの接続の多要素認証
MET, NOT_MET, NONE = "met", "unmet", "not_applicable"
CATEGORY = {MET: 0, "partial": 1, NOT_MET: 1, NONE: 2, "unanswered": 2}


@dataclass(frozen=True)
class Org:
    org_id: str
    size_class: str
    prefecture: str


def groups_of(orgs: Sequence[Org]) -> dict[PeerGroup, frozenset[str]]:
    """Every group that could be published, with its members (public knowledge)."""
    members: dict[PeerGroup, set[str]] = {ALL: {o.org_id for o in orgs}}
    for o in orgs:
        for group in (
            PeerGroup(Scope.SIZE_CLASS, o.size_class),
            PeerGroup(Scope.SIZE_CLASS_IN_PREFECTURE, o.size_class, o.prefecture),
            PeerGroup(Scope.PREFECTURE, prefecture=o.prefecture),
        ):
            members.setdefault(group, set()).add(o.org_id)
    return {group: frozenset(ids) for group, ids in members.items()}


Published = dict[frozenset[str], tuple[int, int]]  # members -> (implemented, usable answers)


def published_by_mamoru(stats: PeerStatistics, orgs: Sequence[Org]) -> Published:
    out: Published = {}
    for group, members in groups_of(orgs).items():
        rate = stats.group_item_rate(group, ITEM)
        if rate is not None:
            implemented = round((rate.rate or 0.0) * rate.answered / 100)
            out[members] = (implemented, rate.answered)
    return out


def published_naively(answers: Mapping[str, str], orgs: Sequence[Org]) -> Published:
    """What a publisher without complementary suppression would show: every group of at
    least MIN_GROUP organisations, counted from the answers as they are now."""
    out: Published = {}
    for members in groups_of(orgs).values():
        if len(members) >= MIN_GROUP:
            categories = [CATEGORY[answers[m]] for m in members]
            out[members] = (categories.count(0), categories.count(0) + categories.count(1))
    return out


def consistent_assignments(
    org_ids: Sequence[str], published: Published, categories: int
) -> list[dict[str, int]]:
    """Every assignment of answer categories to the organisations that fits the figures."""
    found = []
    for values in itertools.product(range(categories), repeat=len(org_ids)):
        assignment = dict(zip(org_ids, values, strict=True))
        if all(
            sum(assignment[m] == 0 for m in members) == implemented
            and sum(assignment[m] < 2 for m in members) == usable
            for members, (implemented, usable) in published.items()
        ):
            found.append(assignment)
    return found


def inferred(
    solutions: Sequence[Mapping[str, int]], truth: Mapping[str, int], attacker: str, target: str
) -> bool:
    """Whether ``attacker``, knowing its own answer, can tell ``target``'s."""
    possible = {s[target] for s in solutions if s[attacker] == truth[attacker]}
    assert truth[target] in possible  # the true answers always fit the published figures
    return len(possible) == 1


def records(orgs: Sequence[Org], answers: Mapping[str, str]) -> list[OrgRecord]:
    return [
        rec(o.org_id, o.size_class, o.prefecture, outcomes={ITEM: answers[o.org_id]}) for o in orgs
    ]


# The fallback scenario: seven towns in prefecture 01 (shown as their own group) and one
# town in 02, whose viewers fall back to the national group of eight towns.
FALLBACK = [*(Org(f"01-{n}", "town", "01") for n in range(7)), Org("02-0", "town", "02")]
FALLBACK_ANSWERS = {**{f"01-{n}": (MET if n < 3 else NOT_MET) for n in range(7)}, "02-0": MET}


def test_a_naive_publisher_gives_away_the_lone_town_across_the_fallback() -> None:
    published = published_naively(FALLBACK_ANSWERS, FALLBACK)
    truth = {k: CATEGORY[v] for k, v in FALLBACK_ANSWERS.items()}
    solutions = consistent_assignments([o.org_id for o in FALLBACK], published, categories=2)
    assert inferred(solutions, truth, attacker="01-0", target="02-0")


def test_mamoru_does_not_give_away_the_lone_town_across_the_fallback() -> None:
    stats = PeerStatistics(snap(records(FALLBACK, FALLBACK_ANSWERS)))
    published = published_by_mamoru(stats, FALLBACK)
    assert published  # something is still shown: the eight towns together
    truth = {k: CATEGORY[v] for k, v in FALLBACK_ANSWERS.items()}
    solutions = consistent_assignments([o.org_id for o in FALLBACK], published, categories=2)
    for attacker in truth.keys() - {"02-0"}:
        assert not inferred(solutions, truth, attacker, "02-0")


def test_comparing_before_and_after_a_late_answer_reveals_nothing() -> None:
    """The target changes its answer after the campaign closed. Live figures would move by
    exactly that answer; the snapshot's figures do not move at all."""
    orgs = [Org(f"01-{n}", "town", "01") for n in range(25)]
    answers = {o.org_id: (MET if n % 2 else NOT_MET) for n, o in enumerate(orgs)}
    target = "01-0"
    before_naive = published_naively(answers, orgs)
    snapshot = snap(records(orgs, answers))
    before = published_by_mamoru(PeerStatistics(snapshot), orgs)

    answers[target] = MET  # answered 未実施 at close, 実施 afterwards
    after_naive = published_naively(answers, orgs)
    after = published_by_mamoru(PeerStatistics(snapshot), orgs)

    everyone = frozenset(answers)
    assert after_naive[everyone][0] - before_naive[everyone][0] == 1  # the live attack works
    assert after == before  # the frozen snapshot does not move


orgs_strategy = st.lists(
    st.tuples(st.sampled_from(["town", "village"]), st.sampled_from(["01", "02", "03"])),
    min_size=MIN_GROUP,
    max_size=12,
)


@settings(max_examples=60)
@given(orgs_strategy, st.data())
def test_no_organisation_can_infer_another_s_answer(
    places: list[tuple[str, str]], data: st.DataObject
) -> None:
    """Random small campaigns (6–12 organisations over two size classes and three
    prefectures) with 実施 / 未実施 answers: no attacker can infer any other's answer."""
    orgs = [
        Org(f"o{n}", size_class, prefecture) for n, (size_class, prefecture) in enumerate(places)
    ]
    answers = {o.org_id: data.draw(st.sampled_from([MET, NOT_MET])) for o in orgs}
    _assert_no_inference(orgs, answers, categories=2)


@settings(max_examples=30)
@given(orgs_strategy.filter(lambda places: len(places) <= 8), st.data())
def test_no_organisation_can_infer_another_s_answer_with_not_applicable(
    places: list[tuple[str, str]], data: st.DataObject
) -> None:
    """As above with a third category (該当なし), which changes the denominators."""
    orgs = [
        Org(f"o{n}", size_class, prefecture) for n, (size_class, prefecture) in enumerate(places)
    ]
    answers = {o.org_id: data.draw(st.sampled_from([MET, NOT_MET, NONE])) for o in orgs}
    _assert_no_inference(orgs, answers, categories=3)


def _assert_no_inference(
    orgs: Sequence[Org], answers: Mapping[str, str], *, categories: int
) -> None:
    stats = PeerStatistics(snap(records(orgs, answers)))
    published = published_by_mamoru(stats, orgs)
    truth = {k: CATEGORY[v] for k, v in answers.items()}
    solutions = consistent_assignments([o.org_id for o in orgs], published, categories)
    for attacker, target in itertools.permutations(truth, 2):
        assert not inferred(solutions, truth, attacker, target), (attacker, target, published)
