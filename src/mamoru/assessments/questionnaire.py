"""The questionnaire as a spreadsheet: the columns it is exported with, and reading answers
back from it. Offices fill the answer column in Excel and upload the file again.

The layout is one row per item the organisation answers. The ``回答`` cell takes an
option's Japanese label as exported (実施 / 一部実施 / 未実施 / 該当なし), its English
label or its id; an empty cell leaves the item as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext as _

from mamoru.assessments.library import Framework, Item
from mamoru.core.tabular import Cell, Row, RowErrors

ITEM: Final = "項目ID"
ANSWER: Final = "回答"
COMMENT: Final = "コメント"
HEADER: Final = (
    ITEM,
    "章",
    "区分",
    "必須",
    "レベル",
    "質問",
    "説明",
    "選択肢",
    ANSWER,
    COMMENT,
)
COMMENT_MAX: Final = 2000


def chapter_title(framework: Framework, item: Item) -> str:
    if item.guideline is None:
        return ""
    return framework.chapter(item.guideline.chapter).title.ja


def section_title(framework: Framework, item: Item) -> str:
    """The title of the item's top section (a chapter of the measures, a CSF function)."""
    top = item.section_path[0] if item.section_path else ""
    for section in framework.sections:
        if section.id == top:
            return section.title.ja
    return ""


def rows(
    framework: Framework,
    size_class: str,
    answers: Mapping[str, str],
    comments: Mapping[str, str],
) -> list[list[Cell]]:
    """One row per item of ``size_class``, with the answers and comments given."""
    out: list[list[Cell]] = []
    for item in framework.items_for(size_class):
        option = answers.get(item.id, "")
        label = item.answers.option(option).label.ja if option else ""
        out.append(
            [
                item.id,
                chapter_title(framework, item),
                section_title(framework, item),
                "必須" if item.mandatory else "",
                item.level,
                item.question.ja,
                item.help.ja,
                " / ".join(o.label.ja for o in item.answers.options),
                label,
                comments.get(item.id, ""),
            ]
        )
    return out


@dataclass(frozen=True)
class ImportedAnswer:
    option_id: str | None  # None: the answer cell was empty (the saved answer stays)
    comment: str | None  # None: the file has no comment column


def _option(item: Item, text: str) -> str | None:
    for option in item.answers.options:
        if text in (option.id, option.label.ja, option.label.en):
            return option.id
    return None


def _row_item(
    framework: Framework, size_class: str, row: Row, seen: set[str], errors: RowErrors
) -> Item | None:
    item_id = row.values.get(ITEM, "")
    if not item_id:
        errors.add(row.line, _("項目IDが空です。"))
    elif not framework.has_item(item_id) or not framework.item(item_id).applies_to(size_class):
        errors.add(row.line, _("項目ID %(item)s はこの回答票にありません。") % {"item": item_id})
    elif item_id in seen:
        errors.add(row.line, _("項目ID %(item)s が2回あります。") % {"item": item_id})
    else:
        seen.add(item_id)
        return framework.item(item_id)
    return None


def _row_answer(item: Item, row: Row, errors: RowErrors) -> ImportedAnswer | None:
    text = row.values.get(ANSWER, "")
    comment = row.values.get(COMMENT) if COMMENT in row.values else None
    if comment is not None and len(comment) > COMMENT_MAX:
        errors.add(row.line, _("コメントは2000文字以内にしてください。"))
        return None
    if not text:
        return None if not comment else ImportedAnswer(None, comment)
    option = _option(item, text)
    if option is None:
        choices = "、".join(o.label.ja for o in item.answers.options)
        errors.add(
            row.line,
            _("項目 %(item)s の回答「%(text)s」は選択肢（%(choices)s）にありません。")
            % {"item": item.id, "text": text, "choices": choices},
        )
        return None
    return ImportedAnswer(option, comment)


def read_answers(
    framework: Framework, size_class: str, table: Sequence[Row]
) -> tuple[dict[str, ImportedAnswer], RowErrors]:
    """The answers of an uploaded questionnaire, and every wrong row (nothing is saved
    while there is one). An empty answer cell keeps the saved answer: a row with
    neither answer nor comment changes nothing. A comment column sets the comments (the
    exported file carries the saved ones)."""
    errors = RowErrors()
    found: dict[str, ImportedAnswer] = {}
    seen: set[str] = set()
    for row in table:
        item = _row_item(framework, size_class, row, seen, errors)
        answer = None if item is None else _row_answer(item, row, errors)
        if item is not None and answer is not None:
            found[item.id] = answer
    return found, errors
