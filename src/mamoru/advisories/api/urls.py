"""The advisories API, mounted by the project at ``/api/v1/advisories/``."""

from django.urls import path

from mamoru.advisories.api import views

app_name = "advisories_api"
ADVISORY = "<uuid:public_id>/"

urlpatterns = [
    path("", views.AdvisoryListApi.as_view(), name="advisories"),
    path("sent/", views.AdvisorySentApi.as_view(), name="sent"),
    path("import/", views.AdvisoryImportApi.as_view(), name="import"),
    path(ADVISORY, views.AdvisoryDetailApi.as_view(), name="advisory"),
    path(ADVISORY + "acknowledge/", views.AdvisoryAcknowledgeApi.as_view(), name="acknowledge"),
    path(ADVISORY + "answer/", views.AdvisoryAnswerApi.as_view(), name="answer"),
    path(ADVISORY + "state/", views.AdvisoryStateApi.as_view(), name="state"),
    path(ADVISORY + "stix/", views.AdvisoryStixApi.as_view(), name="stix"),
    path(ADVISORY + "misp/", views.AdvisoryMispApi.as_view(), name="misp"),
    path("shared/", views.ShareListApi.as_view(), name="shares"),
    path("shared/<uuid:public_id>/", views.ShareDetailApi.as_view(), name="share"),
]
