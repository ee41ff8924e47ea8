"""The incident pages, mounted by the project at ``/incidents/``.

``reports/<public_id>/`` and ``inbox/<pk>/`` are the paths notifications link to
(``incidents.links``): keep them.
"""

from django.urls import path

from mamoru.incidents.ui import inbox, overview, reports

app_name = "incidents"
urlpatterns = [
    path("reports/", reports.report_list, name="reports"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<uuid:public_id>/", reports.report_detail, name="report"),
    path("reports/<uuid:public_id>/edit/", reports.report_edit, name="report_edit"),
    path(
        "reports/<uuid:public_id>/request-approval/",
        reports.report_request_approval,
        name="report_request_approval",
    ),
    path("reports/<uuid:public_id>/approve/", reports.report_approve, name="report_approve"),
    path("reports/<uuid:public_id>/reopen/", reports.report_reopen, name="report_reopen"),
    path(
        "reports/<uuid:public_id>/threads/<str:code>/",
        reports.report_message,
        name="report_message",
    ),
    path(
        "reports/<uuid:public_id>/versions/<int:version>/export/<slug:fmt>/",
        reports.report_export,
        name="report_export",
    ),
    path("inbox/", inbox.inbox_list, name="inbox"),
    path("inbox/<int:pk>/", inbox.inbox_item, name="inbox_item"),
    path("inbox/<int:pk>/acknowledge/", inbox.inbox_acknowledge, name="inbox_acknowledge"),
    path("inbox/<int:pk>/messages/", inbox.inbox_message, name="inbox_message"),
    path("inbox/<int:pk>/export/<slug:fmt>/", inbox.inbox_export, name="inbox_export"),
    path("statistics/", overview.statistics, name="statistics"),
    path("notifications/", overview.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", overview.notification_read, name="notification_read"),
]
