"""Writes of the progress app (``<entity>_<verb>(*, principal, …)``, atomic, audited)."""

from mamoru.progress.services.campaigns import campaign_create
from mamoru.progress.services.followups import follow_up_answer, follow_up_create
from mamoru.progress.services.notices import (
    notice_confirm,
    notice_mark_read,
    notice_publish,
    notice_reminders_send,
)
from mamoru.progress.services.questions import (
    faq_publish,
    faq_update,
    question_answer,
    question_ask,
    question_forward,
)
from mamoru.progress.services.reports import (
    REPORT_COLUMNS,
    ItemEntry,
    entries_from_table,
    report_attachment_add,
    report_confirm_unchanged,
    report_import,
    report_open,
    report_save,
    report_submit,
)
from mamoru.progress.services.rollups import campaign_rollups_refresh, campaigns_running

__all__ = [
    "REPORT_COLUMNS",
    "ItemEntry",
    "campaign_create",
    "campaign_rollups_refresh",
    "campaigns_running",
    "entries_from_table",
    "faq_publish",
    "faq_update",
    "follow_up_answer",
    "follow_up_create",
    "notice_confirm",
    "notice_mark_read",
    "notice_publish",
    "notice_reminders_send",
    "question_answer",
    "question_ask",
    "question_forward",
    "report_attachment_add",
    "report_confirm_unchanged",
    "report_import",
    "report_open",
    "report_save",
    "report_submit",
]
