"""Load framework files: strict YAML, the JSON Schema, then the rules a schema cannot say.

Nothing half-valid is ever returned: :func:`load_framework` either gives a complete
:class:`Framework` or raises :class:`FrameworkError` listing every problem in Japanese,
each naming the framework's URN, the item (or section) id and the field.

Beyond the schema it checks: the URN ends with the version; ids are unique across the
framework; every item's answer set exists; answer sets are coherent (one 該当なし at most,
credits of met answers not below those of unmet ones); every guideline chapter exists and,
when the framework declares chapters, every item cites one; every CSF id exists in CSF
2.0; sections are not empty.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import yaml

from mamoru.assessments.library.csf import CsfCatalogue, catalogue_from
from mamoru.assessments.library.errors import FrameworkError, Issue
from mamoru.assessments.library.model import (
    SIZE_CLASSES,
    AnswerOption,
    AnswerSet,
    Chapter,
    Framework,
    GuidelineRef,
    Item,
    Section,
    Text,
)
from mamoru.assessments.library.schema import schema_issues

FRAMEWORKS_DIR: Final = Path(__file__).resolve().parent.parent / "frameworks"
CSF_URN: Final = "urn:mamoru:framework:nist-csf:2.0"
URN_RE: Final = re.compile(r"^urn:mamoru:framework:[a-z0-9]+(-[a-z0-9]+)*:[0-9]+(\.[0-9]+)*$")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """YAML 1.1 safe loading that refuses a key written twice in one mapping (PyYAML
    silently keeps the last one, which would hide a copy-paste mistake)."""


class _DuplicateKeyError(yaml.YAMLError):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(f"{line} 行目のキー {key!r} が同じマッピングに 2 回あります")


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # an unhashable key: construct_mapping below reports it
        if duplicate:
            raise _DuplicateKeyError(key, key_node.start_mark.line + 1)
        seen.add(key)
    mapping: dict[Any, Any] = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(text: str, *, source: str) -> object:
    """Parse ``text`` strictly; a syntax error or a duplicated key is a :class:`FrameworkError`."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except _DuplicateKeyError as exc:
        raise FrameworkError([Issue(source, str(exc))]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{mark.line + 1} 行 {mark.column + 1} 列" if mark is not None else "位置不明"
        raise FrameworkError(
            [Issue(source, f"YAML として読めません（{where}）: {exc.problem}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise FrameworkError([Issue(source, f"YAML として読めません: {exc}")]) from exc


def document_name(data: object, fallback: str) -> str:
    """How errors name a document: its URN when it has a usable one, else ``fallback``."""
    if isinstance(data, Mapping):
        urn = data.get("urn")
        if isinstance(urn, str) and URN_RE.match(urn):
            return urn
    return fallback


# --- public entry points ------------------------------------------------------------------


def load_framework(path: Path, *, catalogue: CsfCatalogue | None = None) -> Framework:
    """Read and validate the framework file ``path``."""
    return parse_framework(path.read_text(encoding="utf-8"), source=path.name, catalogue=catalogue)


def parse_framework(
    text: str, *, source: str = "<framework>", catalogue: CsfCatalogue | None = None
) -> Framework:
    """Validate framework YAML ``text``. ``catalogue`` defaults to the shipped CSF 2.0;
    a document marked ``defines_csf`` is checked against itself."""
    data = read_yaml(text, source=source)
    name = document_name(data, source)
    issues = schema_issues(data, schema="framework", name=name)
    if issues:
        raise FrameworkError(issues)
    assert isinstance(data, dict)  # the schema says it is an object
    framework, issues = _Builder(data, name).build()
    if data.get("defines_csf"):
        catalogue, shape_issues = catalogue_from(framework)
        issues += shape_issues
    elif catalogue is None:
        catalogue = default_catalogue()
    issues += _csf_issues(framework, catalogue)
    if issues:
        raise FrameworkError(issues)
    return framework


@functools.cache
def default_catalogue() -> CsfCatalogue:
    """The CSF 2.0 catalogue from the shipped ``nist-csf-2.0.yaml``, read once per process."""
    framework = load_framework(FRAMEWORKS_DIR / "nist-csf-2.0.yaml")
    catalogue, issues = catalogue_from(framework)
    if issues:  # load_framework has already refused a malformed file
        raise FrameworkError(issues)
    return catalogue


@functools.cache
def shipped_frameworks() -> Mapping[str, Framework]:
    """Every framework shipped in ``assessments/frameworks/``, by URN, read once per process."""
    frameworks: dict[str, Framework] = {}
    for path in sorted(FRAMEWORKS_DIR.glob("*.yaml")):
        framework = load_framework(path)
        if framework.urn in frameworks:
            raise FrameworkError(
                [Issue(framework.urn, f"{path.name} と同じ URN の定義が既にあります")]
            )
        frameworks[framework.urn] = framework
    return frameworks


def shipped_framework(urn: str) -> Framework:
    """The shipped framework ``urn``; ``KeyError`` when there is none."""
    return shipped_frameworks()[urn]


# --- building -----------------------------------------------------------------------------


def _text(raw: Mapping[str, str]) -> Text:
    return Text(ja=raw["ja"].strip(), en=raw["en"].strip())


def _answer_set(set_id: str, raw: Mapping[str, Any], name: str) -> tuple[AnswerSet, list[Issue]]:
    issues: list[Issue] = []
    where = f"answer_sets.{set_id}"

    def problem(message: str, index: int | None = None) -> None:
        field = where if index is None else f"{where}.options[{index + 1}]"
        issues.append(Issue(name, message, field=field))

    options: list[AnswerOption] = []
    for index, option in enumerate(raw["options"]):
        na = bool(option.get("not_applicable"))
        has_score = "credit" in option and "met" in option
        if na and ("credit" in option or "met" in option):
            problem("該当なし（not_applicable）の選択肢に credit や met は書けません", index)
        elif not na and not has_score:
            problem("credit（0〜1）と met（true/false）の両方が必要です", index)
        credit = float(option.get("credit", 0.0))
        options.append(
            AnswerOption(option["id"], _text(option["label"]), credit, bool(option.get("met")), na)
        )
    ids = [o.id for o in options]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problem(f"選択肢の id {duplicate} が 2 回以上あります")
    if sum(o.not_applicable for o in options) > 1:
        problem("該当なし（not_applicable）の選択肢は 1 つまでです")
    scored = [o for o in options if not o.not_applicable]
    if not any(o.met for o in scored):
        problem("met: true の選択肢が 1 つもありません（実施済みと判定できる回答が必要です）")
    if any(m.credit < u.credit for m in scored if m.met for u in scored if not u.met):
        problem("met: true の選択肢の credit が met: false の選択肢より低くなっています")
    return AnswerSet(set_id, raw["kind"], _text(raw["label"]), tuple(options)), issues


class _Builder:
    """Turns a schema-valid document into a :class:`Framework`, collecting the problems."""

    def __init__(self, data: Mapping[str, Any], name: str) -> None:
        self.data = data
        self.name = name
        self.issues: list[Issue] = []
        self.answer_sets: dict[str, AnswerSet] = {}
        for set_id, raw in data["answer_sets"].items():
            answer_set, issues = _answer_set(set_id, raw, name)
            self.answer_sets[set_id] = answer_set
            self.issues += issues
        self.defaults: Mapping[str, Any] = data.get("defaults", {})
        self.chapters = tuple(
            Chapter(raw["id"], _text(raw["title"])) for raw in data.get("chapters", [])
        )
        self.chapter_ids = {chapter.id for chapter in self.chapters}
        self.seen_ids: dict[str, str] = {}  # id -> "item" / "section"
        self.items: list[Item] = []
        self._check_header()

    def _check_header(self) -> None:
        version = self.data["version"]
        if not self.data["urn"].endswith(f":{version}"):
            self.issues.append(
                Issue(self.name, f"URN の末尾が版 {version} と一致しません", field="urn")
            )
        chapter_ids = [chapter.id for chapter in self.chapters]
        for duplicate in sorted({c for c in chapter_ids if chapter_ids.count(c) > 1}):
            self.issues.append(
                Issue(self.name, f"章 {duplicate} が 2 回定義されています", field="chapters")
            )
        default_set = self.defaults.get("answers")
        if default_set is not None and default_set not in self.answer_sets:
            self.issues.append(
                Issue(
                    self.name,
                    f"回答の選択肢 {default_set} は answer_sets にありません",
                    field="defaults.answers",
                )
            )

    def build(self) -> tuple[Framework, list[Issue]]:
        sections = tuple(self._section(raw, ()) for raw in self.data["sections"])
        framework = Framework(
            urn=self.data["urn"],
            slug=self.data["urn"].split(":")[3],
            version=self.data["version"],
            name=_text(self.data["name"]),
            description=_text(self.data["description"]),
            source=_text(self.data["source"]),
            chapters=self.chapters,
            answer_sets=dict(self.answer_sets),
            sections=sections,
            items=tuple(self.items),
            _index={item.id: item for item in self.items},
        )
        return framework, self.issues

    def _claim(self, ident: str, what: str, *, section: str | None, item: str | None) -> None:
        if ident in self.seen_ids:
            earlier = "項目" if self.seen_ids[ident] == "item" else "セクション"
            self.issues.append(
                Issue(
                    self.name,
                    f"この id は別の{earlier}で既に使われています",
                    item=item,
                    section=section,
                    field="id",
                )
            )
        else:
            self.seen_ids[ident] = what

    def _section(self, raw: Mapping[str, Any], path: tuple[str, ...]) -> Section:
        section_id = raw["id"]
        self._claim(section_id, "section", section=section_id, item=None)
        inner = (*path, section_id)
        # A section's own items come before those of its sub-sections (framework order).
        items = tuple(self._item(item, inner) for item in raw.get("items", []))
        subsections = tuple(self._section(sub, inner) for sub in raw.get("sections", []))
        if not subsections and not items:
            self.issues.append(
                Issue(self.name, "項目もサブセクションもない空のセクションです", section=section_id)
            )
        description = _text(raw["description"]) if "description" in raw else None
        return Section(section_id, _text(raw["title"]), description, subsections, items)

    def _item(self, raw: Mapping[str, Any], path: tuple[str, ...]) -> Item:
        item_id = raw["id"]
        self._claim(item_id, "item", section=None, item=item_id)
        guideline = self._guideline(item_id, raw.get("guideline"))
        item = Item(
            id=item_id,
            question=_text(raw["question"]),
            help=_text(raw["help"]),
            next_step=_text(raw["next_step"]) if "next_step" in raw else None,
            answers=self._answers(item_id, raw.get("answers")),
            weight=float(raw.get("weight", self.defaults.get("weight", 1))),
            mandatory=bool(raw.get("mandatory", self.defaults.get("mandatory", False))),
            level=int(raw.get("level", self.defaults.get("level", 1))),
            size_classes=frozenset(
                raw.get("size_classes", self.defaults.get("size_classes", SIZE_CLASSES))
            ),
            csf=tuple(raw["csf"]),
            guideline=guideline,
            section_path=path,
            order=len(self.items),
        )
        self.items.append(item)
        return item

    def _answers(self, item_id: str, set_id: str | None) -> AnswerSet:
        set_id = set_id or self.defaults.get("answers")
        if set_id is None and len(self.answer_sets) == 1:
            set_id = next(iter(self.answer_sets))
        if set_id in self.answer_sets:
            return self.answer_sets[str(set_id)]
        message = (
            f"回答の選択肢 {set_id} は answer_sets にありません"
            if set_id is not None
            else "回答の選択肢（answers）を書いてください（既定値 defaults.answers もありません）"
        )
        self.issues.append(Issue(self.name, message, item=item_id, field="answers"))
        return next(iter(self.answer_sets.values()))

    def _guideline(self, item_id: str, raw: Mapping[str, str] | None) -> GuidelineRef | None:
        if raw is None:
            if self.chapters:
                self.issues.append(
                    Issue(
                        self.name,
                        "ガイドラインの章（guideline.chapter）を書いてください",
                        item=item_id,
                        field="guideline",
                    )
                )
            return None
        if raw["chapter"] not in self.chapter_ids:
            known = ", ".join(sorted(self.chapter_ids)) or "（章が定義されていません）"
            self.issues.append(
                Issue(
                    self.name,
                    f"章 {raw['chapter']} は chapters にありません（定義済み: {known}）",
                    item=item_id,
                    field="guideline.chapter",
                )
            )
        return GuidelineRef(raw["chapter"], raw.get("section"))


def _csf_issues(framework: Framework, catalogue: CsfCatalogue) -> list[Issue]:
    return [
        Issue(framework.urn, f"{csf_id} は NIST CSF 2.0 にありません", item=item.id, field="csf")
        for item in framework.items
        for csf_id in item.csf
        if csf_id not in catalogue
    ]
