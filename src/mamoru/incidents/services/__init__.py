"""Writes of the incidents app (HackSoft style: ``<entity>_<verb>(*, …)``, atomic, audited).

Every service takes the acting :class:`~mamoru.orgs.principal.Principal` and checks it
again (interfaces fetch objects through the selectors first, which answer 404 outside the
gate); refusals raise ``django.core.exceptions.PermissionDenied``, bad input or a wrong
state ``ValidationError`` with Japanese messages.
"""

from mamoru.incidents.services.deliveries import (
    deliveries_acknowledge,
    deliveries_create,
    delivery_acknowledge,
    message_post,
)
from mamoru.incidents.services.deputies import (
    acts_as_deputy,
    deputy_name,
    deputy_revoke,
    may_approve,
    may_name_deputies,
)
from mamoru.incidents.services.notices import report_individual_notice_update
from mamoru.incidents.services.notifications import (
    notification_emails_send,
    notification_mark_read,
    notify_organisation,
    notify_people,
)
from mamoru.incidents.services.outside import outside_report_record
from mamoru.incidents.services.reminders import deadline_reminders_send
from mamoru.incidents.services.reports import (
    content_validate,
    may_report,
    report_approve_and_submit,
    report_create,
    report_reopen,
    report_request_approval,
    report_update_draft,
)

__all__ = [
    "acts_as_deputy",
    "content_validate",
    "deadline_reminders_send",
    "deliveries_acknowledge",
    "deliveries_create",
    "delivery_acknowledge",
    "deputy_name",
    "deputy_revoke",
    "may_approve",
    "may_name_deputies",
    "may_report",
    "message_post",
    "notification_emails_send",
    "notification_mark_read",
    "notify_organisation",
    "notify_people",
    "outside_report_record",
    "report_approve_and_submit",
    "report_create",
    "report_individual_notice_update",
    "report_reopen",
    "report_request_approval",
    "report_update_draft",
]
