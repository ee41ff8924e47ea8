"""The attack-surface pages, mounted by the project at ``/asm/``."""

from django.urls import path

from mamoru.asm.ui import dashboards, findings, organisation

app_name = "asm"
urlpatterns = [
    path("o/<slug:code>/", organisation.overview, name="organisation"),
    path("o/<slug:code>/assets/", organisation.assets, name="assets"),
    path("o/<slug:code>/assets/import/", organisation.assets_import, name="assets_import"),
    path(
        "o/<slug:code>/assets/approve/", organisation.assets_approve_all, name="assets_approve_all"
    ),
    path(
        "o/<slug:code>/suggestions/", organisation.suggestions_discover, name="suggestions_discover"
    ),
    path("o/<slug:code>/services/", organisation.services_list, name="services"),
    path("o/<slug:code>/scans/", organisation.scans, name="scans"),
    path("o/<slug:code>/findings/", findings.findings, name="findings"),
    path("o/<slug:code>/findings.csv", findings.findings_csv, name="findings_csv"),
    path("o/<slug:code>/findings.xlsx", findings.findings_xlsx, name="findings_xlsx"),
    path("o/<slug:code>/summary.pdf", findings.summary_pdf, name="summary_pdf"),
    path("assets/<int:pk>/", organisation.asset, name="asset"),
    path(
        "assets/<int:pk>/<str:action>/",
        organisation.asset_action,
        name="asset_action",
    ),
    path(
        "suggestions/<int:pk>/<str:action>/",
        organisation.suggestion_action,
        name="suggestion_action",
    ),
    path("scans/<int:pk>/", organisation.scan, name="scan"),
    path("scans/<int:pk>/progress/", organisation.scan_progress, name="scan_progress"),
    path("findings/<int:pk>/", findings.finding, name="finding"),
    path("findings/<int:pk>/<str:action>/", findings.finding_action, name="finding_action"),
    path("prefecture/", dashboards.prefecture, name="prefecture"),
    path("prefecture/overdue/", dashboards.overdue, name="overdue"),
    path("nation/", dashboards.nation, name="nation"),
    path("nation/<str:kind>/", dashboards.nation_ranking, name="nation_ranking"),
    path("campaigns/", dashboards.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", dashboards.campaign, name="campaign"),
    path("alerts/", dashboards.alerts, name="alerts"),
    path("alerts/<int:pk>/", dashboards.alert, name="alert"),
    path("alerts/<int:pk>/read/", dashboards.alert_read, name="alert_read"),
]
