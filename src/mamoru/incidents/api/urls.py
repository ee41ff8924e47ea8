"""The incidents API, mounted by the project at ``/api/v1/incidents/``."""

from django.urls import path

from mamoru.incidents.api import more, views

app_name = "incidents_api"
urlpatterns = [
    path("reports/", views.ReportListApi.as_view(), name="reports"),
    path("reports/<uuid:public_id>/", views.ReportDetailApi.as_view(), name="report"),
    path(
        "reports/<uuid:public_id>/request-approval/",
        views.ReportRequestApprovalApi.as_view(),
        name="report_request_approval",
    ),
    path("reports/<uuid:public_id>/submit/", views.ReportSubmitApi.as_view(), name="report_submit"),
    path("reports/<uuid:public_id>/reopen/", views.ReportReopenApi.as_view(), name="report_reopen"),
    path("reports/<uuid:public_id>/diff/", views.ReportDiffApi.as_view(), name="report_diff"),
    path(
        "reports/<uuid:public_id>/threads/<str:code>/messages/",
        views.ThreadApi.as_view(),
        name="thread",
    ),
    path(
        "reports/<uuid:public_id>/versions/<int:version>/export/<slug:fmt>/",
        more.ReportExportApi.as_view(),
        name="report_export",
    ),
    path(
        "reports/<uuid:public_id>/recipients/",
        more.ReportRecipientsApi.as_view(),
        name="report_recipients",
    ),
    path(
        "reports/<uuid:public_id>/recipients/<str:code>/outside/",
        more.ReportOutsideApi.as_view(),
        name="report_outside",
    ),
    path("reports/<uuid:public_id>/notice/", more.ReportNoticeApi.as_view(), name="report_notice"),
    path("inbox/", views.InboxListApi.as_view(), name="inbox"),
    path(
        "inbox/acknowledge/",
        more.InboxAcknowledgeManyApi.as_view(),
        name="inbox_acknowledge_many",
    ),
    path("inbox/<int:pk>/export/<slug:fmt>/", more.InboxExportApi.as_view(), name="inbox_export"),
    path("inbox/<int:pk>/", views.InboxDetailApi.as_view(), name="inbox_item"),
    path(
        "inbox/<int:pk>/acknowledge/",
        views.InboxAcknowledgeApi.as_view(),
        name="inbox_acknowledge",
    ),
    path("deputies/", more.DeputyListApi.as_view(), name="deputies"),
    path("deputies/<int:pk>/revoke/", more.DeputyRevokeApi.as_view(), name="deputy_revoke"),
    path("overdue/", views.OverdueApi.as_view(), name="overdue"),
    path("statistics/", views.StatisticsApi.as_view(), name="statistics"),
    path("notifications/", views.NotificationListApi.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadApi.as_view(),
        name="notification_read",
    ),
]
