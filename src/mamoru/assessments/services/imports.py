"""Importing answers from the questionnaire's spreadsheet: every row checked first, then
all saved in one transaction, or nothing when any row is wrong."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mamoru.assessments import questionnaire
from mamoru.assessments.models import Target
from mamoru.assessments.services.answers import AnswerInput, answers_save
from mamoru.assessments.services.common import framework_of, require_own
from mamoru.core.access import Permission
from mamoru.core.tabular import TableError, read_rows
from mamoru.orgs.principal import Actor


def answers_import(*, principal: Actor, target: Target, data: bytes, filename: str) -> int:
    """Save the answers of an uploaded questionnaire (.xlsx or CSV); the number saved.

    ``ValidationError`` lists every wrong row as 「N行目: …」, and then nothing is saved.
    """
    require_own(principal, target, Permission.DATA_EDIT)
    try:
        table = read_rows(
            data, filename=filename, required=[questionnaire.ITEM, questionnaire.ANSWER]
        )
    except TableError as exc:
        raise ValidationError(str(exc)) from exc
    found, errors = questionnaire.read_answers(framework_of(target), target.size_class, table)
    if errors:
        raise ValidationError(errors.errors)
    if not found:
        raise ValidationError(_("回答が入力された行がありません。"))
    answers = {item_id: AnswerInput(a.option_id, a.comment) for item_id, a in found.items()}
    return answers_save(principal=principal, target=target, answers=answers, action="import")
