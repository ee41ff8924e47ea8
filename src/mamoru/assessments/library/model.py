"""The in-memory form of a framework: plain frozen dataclasses, no Django.

A :class:`Framework` is a tree of :class:`Section` holding assessable :class:`Item` s.
Every user-visible label is a :class:`Text` with Japanese and English. Objects are built
only by :mod:`mamoru.assessments.library.loader`, after the document has been validated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

# The organisation kinds (``orgs.OrganisationKind`` values) that are size classes of local
# governments. Kept here as plain strings so that the library stays free of Django.
SIZE_CLASSES: Final = (
    "prefecture",
    "designated_city",
    "core_city",
    "city",
    "special_ward",
    "town",
    "village",
)
SIZE_CLASS_LABELS: Final[Mapping[str, str]] = {
    "prefecture": "都道府県",
    "designated_city": "政令指定都市",
    "core_city": "中核市",
    "city": "市",
    "special_ward": "特別区",
    "town": "町",
    "village": "村",
}

MATURITY_LEVELS: Final = (1, 2, 3)
Language = Literal["ja", "en"]


@dataclass(frozen=True, slots=True)
class Text:
    """A label in Japanese (shown first) and English."""

    ja: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language`` ("ja" or "en"); Japanese for any other language."""
        return self.en if language == "en" else self.ja


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One possible answer.

    ``credit`` (0–1) is what the answer contributes to coverage; ``met`` says whether the
    measure counts as in place for maturity gating; ``not_applicable`` takes the item out
    of every denominator (該当なし).
    """

    id: str
    label: Text
    credit: float
    met: bool
    not_applicable: bool = False


@dataclass(frozen=True, slots=True)
class AnswerSet:
    """The answers an item offers: ``choice`` (実施 / 一部実施 / 未実施 / 該当なし) or
    ``scale`` (ordered steps, e.g. 0–4), each option with its credit."""

    id: str
    kind: Literal["choice", "scale"]
    label: Text
    options: tuple[AnswerOption, ...]

    def option(self, option_id: str) -> AnswerOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of the guideline an item is mapped to (e.g. "3" 情報システム全体の強靭性の向上)."""

    id: str
    title: Text


@dataclass(frozen=True, slots=True)
class GuidelineRef:
    """Where in the guideline an item comes from: the chapter id (one of the framework's
    chapters) and, optionally, the section within it (e.g. "6.2")."""

    chapter: str
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """An assessable item (a question an organisation answers)."""

    id: str
    question: Text
    help: Text
    next_step: Text | None
    answers: AnswerSet
    weight: float
    mandatory: bool
    level: int
    size_classes: frozenset[str]
    csf: tuple[str, ...]  # CSF 2.0 ids: function (GV), category (GV.OC) or subcategory (GV.OC-01)
    guideline: GuidelineRef | None
    section_path: tuple[str, ...]  # ids of the enclosing sections, outermost first
    order: int  # position in the framework, for stable ordering

    def applies_to(self, size_class: str) -> bool:
        """Whether organisations of ``size_class`` answer this item."""
        return size_class in self.size_classes

    @property
    def what_to_do(self) -> Text:
        """What to do next when the item is not met: its ``next_step``, else its help."""
        return self.next_step if self.next_step is not None else self.help


@dataclass(frozen=True, slots=True)
class Section:
    """A node of the framework tree: a title and either sub-sections, items, or both."""

    id: str
    title: Text
    description: Text | None
    sections: tuple[Section, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Framework:
    """A versioned framework, identified by its URN (``urn:mamoru:framework:<slug>:<version>``)."""

    urn: str
    slug: str
    version: str
    name: Text
    description: Text
    source: Text
    chapters: tuple[Chapter, ...]
    answer_sets: Mapping[str, AnswerSet]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    _index: Mapping[str, Item] = field(repr=False, compare=False, default_factory=dict)

    def item(self, item_id: str) -> Item:
        """The item ``item_id``; ``KeyError`` when the framework has none."""
        return self._index[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._index

    def chapter(self, chapter_id: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                return chapter
        raise KeyError(chapter_id)

    def items_for(self, size_class: str) -> tuple[Item, ...]:
        """The items organisations of ``size_class`` answer, in framework order."""
        return tuple(item for item in self.items if item.applies_to(size_class))
