"""The TAXII 2.1 server, mounted by the project at ``/taxii2/``."""

from django.urls import path

from mamoru.advisories.api import taxii

app_name = "taxii"
COLLECTION = "advisories/collections/<str:collection_id>/"

urlpatterns = [
    path("", taxii.DiscoveryView.as_view(), name="discovery"),
    path("advisories/", taxii.ApiRootView.as_view(), name="api_root"),
    path("advisories/collections/", taxii.CollectionsView.as_view(), name="collections"),
    path(COLLECTION, taxii.CollectionView.as_view(), name="collection"),
    path(COLLECTION + "objects/", taxii.ObjectsView.as_view(), name="objects"),
    path(COLLECTION + "objects/<str:object_id>/", taxii.ObjectView.as_view(), name="object"),
    path(
        COLLECTION + "objects/<str:object_id>/versions/",
        taxii.VersionsView.as_view(),
        name="versions",
    ),
    path(COLLECTION + "manifest/", taxii.ManifestView.as_view(), name="manifest"),
]
