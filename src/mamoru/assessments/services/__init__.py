"""Writes of the assessments app (``<entity>_<verb>(*, principal, …)``, atomic, audited).

Every service takes the acting principal and checks it: the answering organisation's
staff save, assign, attach and import (``data.edit``) and its CISO submits
(``reports.approve``); the organisation's supervisor or the campaign's sender reviews
and keeps notes (``data.edit``); the sender closes its campaign; the system (commands,
tasks, the demo) loads frameworks, freezes snapshots and sends reminders. Refusals are
``PermissionDenied``; bad input ``ValidationError``; a wrong state ``StateConflict``.
"""

from mamoru.assessments.services.answers import (
    COMMENT_MAX,
    EVIDENCE_MAX_BYTES,
    AnswerInput,
    answer_assign,
    answer_save,
    answers_save,
    carried_answers,
    evidence_add,
    evidence_delete,
    target_carry_forward,
)
from mamoru.assessments.services.campaigns import (
    campaign_close,
    campaign_create,
    campaign_freeze,
    may_send,
    surveyable,
)
from mamoru.assessments.services.frameworks import framework_load, mapping_load
from mamoru.assessments.services.imports import answers_import
from mamoru.assessments.services.reminders import REMINDER_DAYS, reminder_stage, reminders_send
from mamoru.assessments.services.submissions import (
    note_add,
    submissions_import,
    target_review,
    target_submit,
)

__all__ = [
    "COMMENT_MAX",
    "EVIDENCE_MAX_BYTES",
    "REMINDER_DAYS",
    "AnswerInput",
    "answer_assign",
    "answer_save",
    "answers_import",
    "answers_save",
    "campaign_close",
    "campaign_create",
    "campaign_freeze",
    "carried_answers",
    "evidence_add",
    "evidence_delete",
    "framework_load",
    "mapping_load",
    "may_send",
    "note_add",
    "reminder_stage",
    "reminders_send",
    "submissions_import",
    "surveyable",
    "target_carry_forward",
    "target_review",
    "target_submit",
]
