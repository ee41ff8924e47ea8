from django.urls import include, path

urlpatterns = [
    path("accounts/", include("mamoru.accounts.urls")),
    path("api/v1/", include("mamoru.api.urls")),
    path("", include("mamoru.web.urls")),
]
