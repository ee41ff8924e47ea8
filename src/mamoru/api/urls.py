from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from mamoru.api import views
from mamoru.api.docs import redoc_page, redoc_script, swagger_page

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_page, name="docs"),
    path("redoc/", redoc_page, name="redoc"),
    path("redoc/redoc.standalone.js", redoc_script, name="redoc-script"),
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
