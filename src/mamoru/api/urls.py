from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from mamoru.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("organisations/", views.OrganisationListApi.as_view(), name="organisations"),
    path("organisations/<str:code>/", views.OrganisationDetailApi.as_view(), name="organisation"),
    path(
        "organisations/<str:code>/memberships/",
        views.MembershipListApi.as_view(),
        name="memberships",
    ),
    path("memberships/<int:pk>/", views.MembershipDetailApi.as_view(), name="membership"),
    path("tokens/", views.ApiTokenListApi.as_view(), name="tokens"),
    path("tokens/<int:pk>/", views.ApiTokenDetailApi.as_view(), name="token"),
]
