"""The attack-surface API, mounted by the project at ``/api/v1/asm/``."""

from django.urls import path

from mamoru.asm.api import views

app_name = "asm_api"
urlpatterns = [
    path("organisations/<str:code>/assets/", views.AssetListApi.as_view(), name="assets"),
    path("organisations/<str:code>/scans/", views.ScanListApi.as_view(), name="scans"),
    path("organisations/<str:code>/services/", views.ServiceListApi.as_view(), name="services"),
    path("organisations/<str:code>/findings/", views.FindingListApi.as_view(), name="findings"),
    path("assets/<int:pk>/", views.AssetDetailApi.as_view(), name="asset"),
    path("assets/<int:pk>/<str:action>/", views.AssetActionApi.as_view(), name="asset_action"),
    path("scans/<int:pk>/", views.ScanDetailApi.as_view(), name="scan"),
    path("exposures/<str:vulnerability_id>/", views.ExposureApi.as_view(), name="exposures"),
    path("findings/<int:pk>/", views.FindingDetailApi.as_view(), name="finding"),
    path(
        "findings/<int:pk>/<str:action>/", views.FindingActionApi.as_view(), name="finding_action"
    ),
]
