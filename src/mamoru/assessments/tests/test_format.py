"""The framework format: a good document loads; each kind of breakage is refused with a
Japanese error that names the framework's URN, the item (or section) and the field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mamoru.assessments.library import FrameworkError, load_framework, parse_framework

URN = "urn:mamoru:framework:test-measures:2026"


def good() -> dict[str, Any]:
    """A small valid framework: two chapters, a nested section, three items."""
    option = {"id": "yes", "label": {"ja": "実施", "en": "Yes"}, "credit": 1, "met": True}
    return {
        "format": "mamoru.assessments.framework/1",
        "urn": URN,
        "version": "2026",
        "name": {"ja": "試験用", "en": "Test"},
        "description": {"ja": "説明", "en": "Description"},
        "source": {"ja": "出典", "en": "Source"},
        "chapters": [
            {"id": "1", "title": {"ja": "組織体制", "en": "Organisation"}},
            {"id": "6", "title": {"ja": "技術的セキュリティ", "en": "Technical"}},
        ],
        "answer_sets": {
            "implementation": {
                "kind": "choice",
                "label": {"ja": "実施状況", "en": "Status"},
                "options": [
                    option,
                    {
                        "id": "part",
                        "label": {"ja": "一部実施", "en": "Partly"},
                        "credit": 0.5,
                        "met": False,
                    },
                    {"id": "no", "label": {"ja": "未実施", "en": "No"}, "credit": 0, "met": False},
                    {"id": "na", "label": {"ja": "該当なし", "en": "N/A"}, "not_applicable": True},
                ],
            }
        },
        "defaults": {"answers": "implementation", "weight": 2},
        "sections": [
            {
                "id": "org",
                "title": {"ja": "組織", "en": "Organisation"},
                "items": [
                    {
                        "id": "ORG-01",
                        "question": {"ja": "CISO を任命していますか。", "en": "CISO appointed?"},
                        "help": {"ja": "責任者を決めます。", "en": "Name the officer."},
                        "mandatory": True,
                        "csf": ["GV.RR-02"],
                        "guideline": {"chapter": "1", "section": "1(1)"},
                    }
                ],
                "sections": [
                    {
                        "id": "org-sub",
                        "title": {"ja": "下位", "en": "Sub"},
                        "items": [
                            {
                                "id": "ORG-02",
                                "question": {"ja": "委員会はありますか。", "en": "Committee?"},
                                "help": {"ja": "会議を開きます。", "en": "Hold meetings."},
                                "level": 2,
                                "csf": ["GV.OV"],
                                "guideline": {"chapter": "1"},
                            }
                        ],
                    }
                ],
            },
            {
                "id": "tech",
                "title": {"ja": "技術", "en": "Technical"},
                "items": [
                    {
                        "id": "TEC-01",
                        "question": {"ja": "多要素認証を使っていますか。", "en": "MFA?"},
                        "help": {"ja": "二つ目の要素を使います。", "en": "Use a second factor."},
                        "next_step": {"ja": "VPN から始めます。", "en": "Start with the VPN."},
                        "weight": 5,
                        "level": 1,
                        "size_classes": ["city", "town"],
                        "csf": ["PR.AA-03", "PR"],
                        "guideline": {"chapter": "6", "section": "6.2"},
                    }
                ],
            },
        ],
    }


def dump(document: object) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def refused(document: object) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(dump(document), source="test.yaml")
    return caught.value


def item(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    stack = list(doc["sections"])
    while stack:
        section = stack.pop()
        for candidate in section.get("items", []):
            if candidate["id"] == item_id:
                return candidate  # type: ignore[no-any-return]
        stack.extend(section.get("sections", []))
    raise KeyError(item_id)


def test_a_good_document_loads_completely() -> None:
    framework = parse_framework(dump(good()))
    assert framework.urn == URN
    assert framework.slug == "test-measures"
    assert [i.id for i in framework.items] == ["ORG-01", "ORG-02", "TEC-01"]
    org1, org2, tec1 = framework.items
    assert org1.weight == 2.0  # the default
    assert org1.mandatory
    assert not org2.mandatory
    assert org2.level == 2
    assert org2.section_path == ("org", "org-sub")
    assert tec1.size_classes == frozenset({"city", "town"})
    assert not tec1.applies_to("village")
    assert org1.applies_to("village")  # no size_classes: every size class
    assert tec1.what_to_do.ja == "VPN から始めます。"
    assert org1.what_to_do.ja == "責任者を決めます。"  # falls back to the help text
    assert tec1.guideline is not None
    assert tec1.guideline.section == "6.2"
    assert framework.item("TEC-01").answers.option("na").not_applicable
    assert framework.chapter("6").title.get("en") == "Technical"
    assert framework.chapter("6").title.get("ja") == "技術的セキュリティ"
    assert framework.sections[0].sections[0].items[0].id == "ORG-02"


def test_the_shipped_files_load() -> None:
    path = Path(__file__).resolve().parents[1] / "frameworks" / "lg-measures-2026.yaml"
    assert load_framework(path).urn == "urn:mamoru:framework:lg-measures:2026"


Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *head, last = path.split(".")
        node: Any = doc
        for key in head:
            node = item(doc, key) if key.startswith(("ORG-", "TEC-")) else node[key]
        node[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *head, last = path.split(".")
        node: Any = doc
        for key in head:
            node = item(doc, key) if key.startswith(("ORG-", "TEC-")) else node[key]
        del node[last]

    return mutate


def _options(options: list[dict[str, Any]]) -> Mutation:
    return _set("answer_sets.implementation.options", options)


def _yes(**extra: object) -> dict[str, Any]:
    return {"id": "yes", "label": {"ja": "実施", "en": "Yes"}, "credit": 1, "met": True, **extra}


def _no(**extra: object) -> dict[str, Any]:
    return {"id": "no", "label": {"ja": "未実施", "en": "No"}, "credit": 0, "met": False, **extra}


def _na(**extra: object) -> dict[str, Any]:
    return {"id": "na", "label": {"ja": "該当なし", "en": "N/A"}, "not_applicable": True, **extra}


def _duplicate_item_id(doc: dict[str, Any]) -> None:
    item(doc, "TEC-01")["id"] = "ORG-01"


def _item_named_like_section(doc: dict[str, Any]) -> None:
    item(doc, "TEC-01")["id"] = "org"


def _empty_section(doc: dict[str, Any]) -> None:
    doc["sections"][1]["items"] = []


# (case, mutation, item named, section named, field named, fragment of the message)
BROKEN: list[tuple[str, Mutation, str | None, str | None, str | None, str]] = [
    ("missing urn", _delete("urn"), None, None, "urn", "必須のフィールドがありません"),
    ("urn format", _set("urn", "urn:x:lg"), None, None, "urn", "urn:mamoru:framework:"),
    ("version as a number", _set("version", 2026), None, None, "version", "文字列で書いてください"),
    (
        "urn and version disagree",
        _set("version", "2027"),
        None,
        None,
        "urn",
        "版 2027 と一致しません",
    ),
    ("unknown top field", _set("sectons", []), None, None, "sectons", "定義されていないフィールド"),
    (
        "wrong format tag",
        _set("format", "framework/2"),
        None,
        None,
        "format",
        "mamoru.assessments.framework/1",
    ),
    (
        "missing help",
        _delete("ORG-01.help"),
        "ORG-01",
        None,
        "help",
        "必須のフィールドがありません",
    ),
    (
        "missing English",
        _set("ORG-02.question", {"ja": "質問"}),
        "ORG-02",
        None,
        "question.en",
        "必須",
    ),
    (
        "blank Japanese",
        _set("TEC-01.help", {"ja": "   ", "en": "x"}),
        "TEC-01",
        None,
        "help.ja",
        "空白だけ",
    ),
    ("zero weight", _set("TEC-01.weight", 0), "TEC-01", None, "weight", "0 より大きい数値"),
    (
        "weight as text",
        _set("TEC-01.weight", "heavy"),
        "TEC-01",
        None,
        "weight",
        "数値で書いてください",
    ),
    ("level 4", _set("ORG-02.level", 4), "ORG-02", None, "level", "3 以下の数値"),
    ("level 1.5", _set("ORG-02.level", 1.5), "ORG-02", None, "level", "整数で書いてください"),
    ("mandatory as text", _set("ORG-01.mandatory", "yes"), "ORG-01", None, "mandatory", "真偽値"),
    (
        "unknown size class",
        _set("TEC-01.size_classes", ["metropolis"]),
        "TEC-01",
        None,
        "size_classes[1]",
        "village",
    ),
    (
        "size class twice",
        _set("TEC-01.size_classes", ["town", "town"]),
        "TEC-01",
        None,
        "size_classes",
        "2 回以上",
    ),
    (
        "empty size classes",
        _set("TEC-01.size_classes", []),
        "TEC-01",
        None,
        "size_classes",
        "1 件以上",
    ),
    (
        "csf id malformed",
        _set("ORG-01.csf", ["GV-OC-01"]),
        "ORG-01",
        None,
        "csf[1]",
        "CSF 2.0 の識別子",
    ),
    (
        "csf id not in CSF 2.0",
        _set("ORG-01.csf", ["GV.OC-09"]),
        "ORG-01",
        None,
        "csf",
        "GV.OC-09 は NIST CSF 2.0 にありません",
    ),
    (
        "csf category not in CSF 2.0",
        _set("ORG-02.csf", ["PR.XX"]),
        "ORG-02",
        None,
        "csf",
        "PR.XX は NIST CSF 2.0 にありません",
    ),
    ("no csf mapping", _set("TEC-01.csf", []), "TEC-01", None, "csf", "1 件以上"),
    ("csf missing", _delete("ORG-01.csf"), "ORG-01", None, "csf", "必須のフィールド"),
    (
        "chapter not declared",
        _set("ORG-01.guideline", {"chapter": "12"}),
        "ORG-01",
        None,
        "guideline.chapter",
        "章 12 は chapters にありません",
    ),
    (
        "guideline missing",
        _delete("ORG-02.guideline"),
        "ORG-02",
        None,
        "guideline",
        "ガイドラインの章",
    ),
    (
        "guideline section malformed",
        _set("TEC-01.guideline", {"chapter": "6", "section": "six"}),
        "TEC-01",
        None,
        "guideline.section",
        "6.2(3) の形式",
    ),
    (
        "unknown answer set",
        _set("ORG-01.answers", "scale5"),
        "ORG-01",
        None,
        "answers",
        "scale5 は answer_sets にありません",
    ),
    (
        "item id with a space",
        _set("ORG-01.id", "ORG 01"),
        "ORG 01",
        None,
        "id",
        "識別子は英数字で始まり",
    ),
    ("YAML boolean as id", _set("ORG-01.id", False), "#1", None, "id", "文字列で書いてください"),
    ("duplicate item id", _duplicate_item_id, "ORG-01", None, "id", "別の項目で既に使われています"),
    (
        "item id equal to a section id",
        _item_named_like_section,
        "org",
        None,
        "id",
        "別のセクションで既に使われています",
    ),
    ("empty section", _empty_section, None, "tech", None, "空のセクション"),
    (
        "no met option",
        _options([_no(), _na()]),
        None,
        None,
        "answer_sets.implementation",
        "met: true の選択肢が 1 つもありません",
    ),
    (
        "credit on N/A",
        _options([_yes(), _na(credit=0)]),
        None,
        None,
        "answer_sets.implementation.options[2]",
        "credit や met は書けません",
    ),
    (
        "two N/A options",
        _options([_yes(), _na(), _na(id="na2")]),
        None,
        None,
        "answer_sets.implementation",
        "1 つまで",
    ),
    (
        "met below unmet",
        _options([_yes(credit=0.2), _no(credit=0.5)]),
        None,
        None,
        "answer_sets.implementation",
        "低くなっています",
    ),
    (
        "option without credit",
        _options([_yes(), {"id": "no", "label": {"ja": "未", "en": "No"}}]),
        None,
        None,
        "answer_sets.implementation.options[2]",
        "credit（0〜1）と met",
    ),
    (
        "credit above 1",
        _options([_yes(credit=1.5), _no()]),
        None,
        None,
        "answer_sets.implementation.options[1].credit",
        "1 以下の数値",
    ),
    (
        "option id twice",
        _options([_yes(), _no(id="yes")]),
        None,
        None,
        "answer_sets.implementation",
        "id yes が 2 回以上",
    ),
    (
        "one option only",
        _options([_yes()]),
        None,
        None,
        "answer_sets.implementation.options",
        "2 件以上",
    ),
    (
        "bad answer set name",
        _set("answer_sets", {"bad name": {}}),
        None,
        None,
        "answer_sets",
        "識別子は英数字で始まり",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "item_id", "section", "field", "fragment"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_document_is_refused_naming_the_item_and_field(
    mutation: Mutation, item_id: str | None, section: str | None, field: str | None, fragment: str
) -> None:
    document = copy.deepcopy(good())
    mutation(document)
    error = refused(document)
    matching = [
        issue
        for issue in error.issues
        if issue.item == item_id
        and issue.field == field
        and (section is None or issue.section == section)
    ]
    assert matching, f"no issue names {item_id}/{section}/{field}: {error}"
    assert any(fragment in issue.message for issue in matching), str(error)
    assert str(error).startswith("フレームワークの定義に")
    # The document is named by its URN whenever it has a usable one.
    expected_name = URN if document.get("urn") == URN else "test.yaml"
    assert all(issue.document == expected_name for issue in error.issues)


def test_the_message_reads_as_one_japanese_sentence_naming_urn_item_and_field() -> None:
    document = good()
    item(document, "TEC-01")["weight"] = 0
    error = refused(document)
    assert str(error.issues[0]) == (
        f"{URN} の項目 TEC-01 の weight: 0 より大きい数値にしてください（値: 0）"
    )


def test_every_problem_is_reported_at_once() -> None:
    document = good()
    item(document, "ORG-01")["csf"] = ["GV.OC-09"]
    item(document, "ORG-02")["guideline"] = {"chapter": "12"}
    item(document, "TEC-01")["answers"] = "missing"
    error = refused(document)
    assert {issue.item for issue in error.issues} == {"ORG-01", "ORG-02", "TEC-01"}
    assert len(str(error).splitlines()) == 1 + len(error.issues)


def test_every_schema_problem_is_reported_at_once() -> None:
    document = good()
    item(document, "ORG-01")["level"] = 0
    item(document, "TEC-01")["weight"] = -1
    del document["source"]
    error = refused(document)
    assert {(i.item, i.field) for i in error.issues} == {
        (None, "source"),
        ("ORG-01", "level"),
        ("TEC-01", "weight"),
    }


def test_a_yaml_syntax_error_names_the_line() -> None:
    text = dump(good()).replace("  weight: 5", "weight: 5", 1)
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, source="broken.yaml")
    message = str(caught.value.issues[0])
    assert message.startswith("broken.yaml: YAML として読めません（")
    assert "行" in message


def test_a_key_written_twice_is_refused_instead_of_silently_keeping_the_last() -> None:
    text = dump(good()).replace("version: '2026'\n", "version: '2026'\nversion: '2027'\n", 1)
    assert text.count("version:") == 2
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, source="dup.yaml")
    assert "キー 'version' が同じマッピングに 2 回あります" in str(caught.value)


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_framework("- just\n- a list\n", source="list.yaml")
    assert caught.value.issues[0].document == "list.yaml"
    assert "マッピング" in caught.value.issues[0].message


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_framework("", source="empty.yaml")
    assert caught.value.issues[0].message == "マッピング（キー: 値）で書いてください（値: null）"


def test_a_csf_catalogue_framework_must_have_the_csf_shape() -> None:
    document = good()
    document["defines_csf"] = True
    error = refused(document)
    text = str(error)
    assert "最上位のセクションは CSF の機能" in text
    assert any(issue.section == "org" for issue in error.issues)
