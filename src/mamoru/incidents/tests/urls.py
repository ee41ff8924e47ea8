"""The project's URLs with the incidents API mounted where the lead mounts it, so these
tests run whether or not the project's ``urls.py`` includes it yet."""

from django.urls import URLResolver, include, path

from mamoru.urls import handler404, handler500
from mamoru.urls import urlpatterns as project_patterns

urlpatterns = [
    path("api/v1/incidents/", include("mamoru.incidents.api.urls")),
    *(
        p
        for p in project_patterns
        if not (isinstance(p, URLResolver) and p.namespace == "incidents_api")
    ),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
