"""The advisory pages, mounted by the project at ``/advisories/``."""

from django.urls import path

from mamoru.advisories.ui import views

app_name = "advisories"
ADVISORY = "<uuid:public_id>/"

urlpatterns = [
    path("", views.advisory_list, name="advisories"),
    path("sent/", views.advisories_sent, name="sent"),
    path("new/", views.advisory_create, name="advisory_create"),
    path("import/", views.advisory_import, name="advisory_import"),
    path(ADVISORY, views.advisory, name="advisory"),
    path(ADVISORY + "acknowledge/", views.advisory_acknowledge, name="advisory_acknowledge"),
    path(ADVISORY + "answer/", views.advisory_answer, name="advisory_answer"),
    path(ADVISORY + "state/", views.advisory_state, name="advisory_state"),
    path(ADVISORY + "export/<slug:fmt>/", views.advisory_export, name="advisory_export"),
    path("shared/", views.share_list, name="shares"),
    path("shared/new/", views.share_create, name="share_create"),
    path("shared/<uuid:public_id>/", views.share, name="share"),
    path(
        "shared/<uuid:public_id>/attachments/<int:pk>/",
        views.share_attachment,
        name="share_attachment",
    ),
]
