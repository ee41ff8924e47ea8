"""The project's URLs with the incident pages (and API) mounted where the lead mounts them,
so the page tests run whether or not the project's ``urls.py`` includes them yet."""

from django.urls import URLResolver, include, path

from mamoru.incidents.tests.urls import urlpatterns as with_api
from mamoru.urls import handler404, handler500

urlpatterns = [
    path("incidents/", include("mamoru.incidents.ui.urls")),
    *(p for p in with_api if not (isinstance(p, URLResolver) and p.namespace == "incidents")),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
