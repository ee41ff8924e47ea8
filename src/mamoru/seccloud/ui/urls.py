"""The security cloud's pages, mounted by the project at ``/seccloud/``."""

from django.urls import path

from mamoru.seccloud.ui import views

app_name = "seccloud"

PREFECTURE = "prefectures/<str:code>/"
REPORT = "reports/<str:code>/<str:month>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(PREFECTURE, views.prefecture, name="prefecture"),
    path(PREFECTURE + "ingest/", views.ingest_progress, name="ingest"),
    path(PREFECTURE + "ingest/upload/", views.upload, name="upload"),
    path(PREFECTURE + "settings/", views.settings_page, name="settings"),
    path(PREFECTURE + "devices/", views.device_save, name="device_save"),
    path(PREFECTURE + "ranges/", views.ranges_import, name="ranges_import"),
    path(PREFECTURE + "rules/<int:pk>/", views.rule_toggle, name="rule_toggle"),
    path(PREFECTURE + "schedule/", views.schedule_save, name="schedule_save"),
    path(PREFECTURE + "reports/", views.report_compute, name="report_compute"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/close/", views.alert_close, name="alert_close"),
    path("organisations/<str:code>/", views.organisation, name="organisation"),
    path("national/", views.national, name="national"),
    path(REPORT, views.report, name="report"),
    path(REPORT + "pdf/", views.report_pdf, name="report_pdf"),
    path(REPORT + "csv/", views.report_csv, name="report_csv"),
]
