"""Reads of the incidents app, each taking the acting principal: the access gate."""

from mamoru.incidents.selectors.diff import Change, submission_diff
from mamoru.incidents.selectors.notices import (
    IndividualNotice,
    individual_notice_of,
    report_individual_notice,
)
from mamoru.incidents.selectors.reports import (
    InboxItem,
    deliveries_due_soon,
    deliveries_overdue,
    inbox,
    inbox_attention_first,
    inbox_item_get,
    inbox_items,
    notification_get,
    notifications_of,
    report_deliveries,
    report_get,
    report_visible,
    reports_deliveries,
    reports_own,
    submissions_of,
    thread_messages,
    thread_recipient,
)
from mamoru.incidents.selectors.statistics import IncidentStatistics, incident_statistics

__all__ = [
    "Change",
    "InboxItem",
    "IncidentStatistics",
    "IndividualNotice",
    "deliveries_due_soon",
    "deliveries_overdue",
    "inbox",
    "inbox_attention_first",
    "inbox_item_get",
    "inbox_items",
    "incident_statistics",
    "individual_notice_of",
    "notification_get",
    "notifications_of",
    "report_deliveries",
    "report_get",
    "report_individual_notice",
    "report_visible",
    "reports_deliveries",
    "reports_own",
    "submission_diff",
    "submissions_of",
    "thread_messages",
    "thread_recipient",
]
