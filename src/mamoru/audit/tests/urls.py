"""The project's URLs plus the audit page, until the root URLconf includes it."""

from django.urls import include, path

from mamoru.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("audit/", include("mamoru.audit.urls")),
]
