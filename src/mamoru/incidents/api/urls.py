"""The incidents API, mounted by the project at ``/api/v1/incidents/``."""

from django.urls import path

from mamoru.incidents.api import views

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
    path("inbox/", views.InboxListApi.as_view(), name="inbox"),
    path("inbox/<int:pk>/", views.InboxDetailApi.as_view(), name="inbox_item"),
    path(
        "inbox/<int:pk>/acknowledge/",
        views.InboxAcknowledgeApi.as_view(),
        name="inbox_acknowledge",
    ),
    path("overdue/", views.OverdueApi.as_view(), name="overdue"),
    path("statistics/", views.StatisticsApi.as_view(), name="statistics"),
    path("notifications/", views.NotificationListApi.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadApi.as_view(),
        name="notification_read",
    ),
]
