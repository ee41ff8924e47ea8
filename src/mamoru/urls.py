"""The project's URLs: each app's pages (``<app>/ui/urls.py``) and API operations
(``<app>/api/urls.py``, under ``/api/v1/``), mounted here and nowhere else."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("mamoru.accounts.ui.urls")),
    path("api/v1/incidents/", include("mamoru.incidents.api.urls")),
    path("api/v1/assessments/", include("mamoru.assessments.api.urls")),
    path("api/v1/progress/", include("mamoru.progress.api.urls")),
    path("api/v1/advisories/", include("mamoru.advisories.api.urls")),
    path("api/v1/", include("mamoru.api.urls")),
    path("api/v1/", include("mamoru.orgs.api.urls")),
    path("audit/", include("mamoru.audit.ui.urls")),
    path("incidents/", include("mamoru.incidents.ui.urls")),
    path("assessments/", include("mamoru.assessments.ui.urls")),
    path("progress/", include("mamoru.progress.ui.urls")),
    path("advisories/", include("mamoru.advisories.ui.urls")),
    path("taxii2/", include("mamoru.advisories.api.taxii_urls")),
    path("", include("mamoru.orgs.ui.urls")),
    path("", include("mamoru.web.urls")),
]

handler400 = "mamoru.core.errors.bad_request"
handler403 = "mamoru.core.errors.permission_denied"
handler404 = "mamoru.core.errors.page_not_found"
handler500 = "mamoru.core.errors.server_error"
