"""The assessments API, mounted by the project at ``/api/v1/assessments/``."""

from django.urls import path

from mamoru.assessments.api import views

app_name = "assessments_api"
urlpatterns = [
    path("frameworks/", views.FrameworkListApi.as_view(), name="frameworks"),
    path("frameworks/<int:pk>/", views.FrameworkDetailApi.as_view(), name="framework"),
    path("campaigns/", views.CampaignListApi.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", views.CampaignDetailApi.as_view(), name="campaign"),
    path("campaigns/<int:pk>/close/", views.CampaignCloseApi.as_view(), name="campaign_close"),
    path(
        "campaigns/<int:pk>/targets/", views.CampaignTargetsApi.as_view(), name="campaign_targets"
    ),
    path("campaigns/<int:pk>/dashboard/", views.CampaignDashboardApi.as_view(), name="dashboard"),
    path("targets/<int:pk>/", views.TargetDetailApi.as_view(), name="target"),
    path("targets/<int:pk>/answers/", views.TargetAnswersApi.as_view(), name="answers"),
    path("targets/<int:pk>/answers/<str:item_id>/", views.AnswerApi.as_view(), name="answer"),
    path("targets/<int:pk>/submit/", views.TargetSubmitApi.as_view(), name="submit"),
    path("targets/<int:pk>/review/", views.TargetReviewApi.as_view(), name="review"),
    path("targets/<int:pk>/scores/", views.TargetScoresApi.as_view(), name="scores"),
    path("targets/<int:pk>/peers/", views.TargetPeersApi.as_view(), name="peers"),
]
