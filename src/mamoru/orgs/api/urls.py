from django.urls import path

from mamoru.orgs.api import views

app_name = "orgs_api"
urlpatterns = [
    path("me/", views.MeApi.as_view(), name="me"),
    path("organisations/", views.OrganisationListApi.as_view(), name="organisations"),
    path("organisations/<str:code>/", views.OrganisationDetailApi.as_view(), name="organisation"),
    path(
        "organisations/<str:code>/memberships/",
        views.MembershipListApi.as_view(),
        name="memberships",
    ),
    path("memberships/<int:pk>/", views.MembershipDetailApi.as_view(), name="membership"),
    path(
        "organisations/<str:code>/invitations/",
        views.InvitationListApi.as_view(),
        name="invitations",
    ),
    path("invitations/<int:pk>/", views.InvitationDetailApi.as_view(), name="invitation"),
    path("tokens/", views.ApiTokenListApi.as_view(), name="tokens"),
    path("tokens/<int:pk>/", views.ApiTokenDetailApi.as_view(), name="token"),
]
