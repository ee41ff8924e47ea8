"""Who is refused each URL of the incidents API (see ``mamoru.testing.Denial``).

Object URLs name a report or delivery that does not exist for anyone: the refusal must
not depend on the object. ``test_api_access`` checks the same URLs against real objects
of 千代田区 for the sibling, the other prefecture, an unaddressed recipient and an outsider.
The list is empty while the project has not mounted the API (nothing to refuse yet).
"""

from django.urls import NoReverseMatch, reverse

from mamoru.testing import Denial

REPORT = {"public_id": "6f1c2a51-5a43-4a8b-9d8e-2b7b3c1d0e9f"}
EVERYONE = ("outsider",)  # lists answer 200 with one's own (empty) rows to members

ALL = [
    Denial("incidents_api:reports", refused=EVERYONE),
    Denial("incidents_api:reports", method="post", refused=EVERYONE),
    Denial("incidents_api:report", REPORT),
    Denial("incidents_api:report", REPORT, method="put"),
    Denial("incidents_api:report_request_approval", REPORT, method="post"),
    Denial("incidents_api:report_submit", REPORT, method="post"),
    Denial("incidents_api:report_reopen", REPORT, method="post"),
    Denial("incidents_api:report_diff", REPORT),
    Denial("incidents_api:thread", {**REPORT, "code": "PPC"}),
    Denial("incidents_api:thread", {**REPORT, "code": "PPC"}, method="post"),
    Denial("incidents_api:report_export", {**REPORT, "version": "1", "fmt": "csv"}),
    Denial("incidents_api:report_recipients", REPORT),
    Denial("incidents_api:report_outside", {**REPORT, "code": "NPA"}, method="post"),
    Denial("incidents_api:report_notice", REPORT),
    Denial("incidents_api:report_notice", REPORT, method="put"),
    Denial("incidents_api:inbox", refused=EVERYONE),
    Denial("incidents_api:inbox_acknowledge_many", method="post", refused=EVERYONE),
    Denial("incidents_api:inbox_export", {"pk": "1", "fmt": "csv"}),
    Denial("incidents_api:inbox_item", {"pk": "1"}),
    Denial("incidents_api:inbox_acknowledge", {"pk": "1"}, method="post"),
    Denial("incidents_api:deputies", refused=EVERYONE),
    Denial("incidents_api:deputies", method="post", refused=EVERYONE),
    Denial("incidents_api:deputy_revoke", {"pk": "1"}, method="post"),
    Denial("incidents_api:overdue", refused=EVERYONE),
    Denial("incidents_api:statistics", refused=EVERYONE),
    Denial("incidents_api:notifications", refused=EVERYONE),
    Denial("incidents_api:notification_read", {"pk": "1"}, method="post"),
]


def _mounted() -> bool:
    try:
        reverse("incidents_api:reports")
    except NoReverseMatch:
        return False
    return True


DENIALS = ALL if _mounted() else []

# --- the web pages (mounted at /incidents/); test_pages checks them against real objects --

PAGE_DELIVERY = {"pk": "1"}
STEP = {**REPORT, "step": "overview"}
PAGES = [
    Denial("incidents:start", refused=EVERYONE),
    Denial("incidents:reports", refused=EVERYONE),
    Denial("incidents:report_create", refused=EVERYONE),
    Denial("incidents:report_create", method="post", refused=EVERYONE),
    Denial("incidents:report", REPORT),
    Denial("incidents:report_edit", REPORT),
    Denial("incidents:report_tasks", REPORT),
    Denial("incidents:report_step", STEP),
    Denial("incidents:report_step", STEP, method="post"),
    Denial("incidents:report_autosave", STEP, method="post"),
    Denial("incidents:report_check", REPORT),
    Denial("incidents:report_request_approval", REPORT, method="post"),
    Denial("incidents:report_approve", REPORT),
    Denial("incidents:report_approve", REPORT, method="post"),
    Denial("incidents:report_sent", REPORT),
    Denial("incidents:report_outside", {**REPORT, "code": "NPA"}, method="post"),
    Denial("incidents:report_notice", REPORT, method="post"),
    Denial("incidents:report_compare", REPORT),
    Denial("incidents:report_reopen", REPORT, method="post"),
    Denial("incidents:report_message", {**REPORT, "code": "PPC"}, method="post"),
    Denial("incidents:report_export", {**REPORT, "version": "1", "fmt": "csv"}),
    Denial("incidents:inbox", refused=EVERYONE),
    Denial("incidents:inbox_acknowledge_selected", method="post", refused=EVERYONE),
    Denial("incidents:inbox_item", PAGE_DELIVERY),
    Denial("incidents:inbox_acknowledge", PAGE_DELIVERY, method="post"),
    Denial("incidents:inbox_message", PAGE_DELIVERY, method="post"),
    Denial("incidents:inbox_export", {**PAGE_DELIVERY, "fmt": "csv"}),
    # Everyone manages the approvers of their own organisation only (404 elsewhere).
    Denial("incidents:approvers", refused=EVERYONE),
    Denial("incidents:approvers", method="post", refused=EVERYONE),
    Denial("incidents:deputy_revoke", PAGE_DELIVERY, method="post"),
    Denial("incidents:statistics", refused=EVERYONE),
    Denial("incidents:notifications", refused=EVERYONE),
    Denial("incidents:notification_read", PAGE_DELIVERY, method="post"),
]


def _pages_mounted() -> bool:
    try:
        reverse("incidents:reports")
    except NoReverseMatch:
        return False
    return True


if _pages_mounted():
    DENIALS = [*DENIALS, *PAGES]
