"""The incident pages, mounted by the project at ``/incidents/``.

``reports/<public_id>/``, ``reports/<public_id>/approve/``, ``reports/<public_id>/sent/``
and ``inbox/<pk>/`` are the paths notifications link to (``incidents.links``): keep them.
"""

from django.urls import path

from mamoru.incidents.ui import deputies, inbox, overview, reports, wizard

app_name = "incidents"
REPORT = "reports/<uuid:public_id>/"
urlpatterns = [
    path("start/", wizard.start, name="start"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/new/", wizard.report_create, name="report_create"),
    path(REPORT, reports.report_detail, name="report"),
    path(f"{REPORT}edit/", reports.report_edit, name="report_edit"),
    path(f"{REPORT}tasks/", wizard.report_tasks, name="report_tasks"),
    path(f"{REPORT}steps/<slug:step>/", wizard.report_step, name="report_step"),
    path(f"{REPORT}steps/<slug:step>/autosave/", wizard.report_autosave, name="report_autosave"),
    path(f"{REPORT}check/", wizard.report_check, name="report_check"),
    path(
        f"{REPORT}request-approval/",
        reports.report_request_approval,
        name="report_request_approval",
    ),
    path(f"{REPORT}approve/", reports.report_approve, name="report_approve"),
    path(f"{REPORT}sent/", reports.report_sent, name="report_sent"),
    path(f"{REPORT}outside/<str:code>/", reports.report_outside, name="report_outside"),
    path(f"{REPORT}notice/", reports.report_notice, name="report_notice"),
    path(f"{REPORT}reopen/", reports.report_reopen, name="report_reopen"),
    path(f"{REPORT}compare/", reports.report_compare, name="report_compare"),
    path(f"{REPORT}threads/<str:code>/", reports.report_message, name="report_message"),
    path(
        f"{REPORT}versions/<int:version>/export/<slug:fmt>/",
        reports.report_export,
        name="report_export",
    ),
    path("inbox/", inbox.inbox_list, name="inbox"),
    path(
        "inbox/acknowledge/",
        inbox.inbox_acknowledge_selected,
        name="inbox_acknowledge_selected",
    ),
    path("inbox/<int:pk>/", inbox.inbox_item, name="inbox_item"),
    path("inbox/<int:pk>/acknowledge/", inbox.inbox_acknowledge, name="inbox_acknowledge"),
    path("inbox/<int:pk>/messages/", inbox.inbox_message, name="inbox_message"),
    path("inbox/<int:pk>/export/<slug:fmt>/", inbox.inbox_export, name="inbox_export"),
    path("approvers/", deputies.approvers, name="approvers"),
    path("approvers/<int:pk>/revoke/", deputies.deputy_end, name="deputy_revoke"),
    path("statistics/", overview.statistics, name="statistics"),
    path("notifications/", overview.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", overview.notification_read, name="notification_read"),
]
