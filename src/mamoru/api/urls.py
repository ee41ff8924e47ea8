from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from mamoru.api.docs import redoc_page, redoc_script, swagger_page

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_page, name="docs"),
    path("redoc/", redoc_page, name="redoc"),
    path("redoc/redoc.standalone.js", redoc_script, name="redoc-script"),
]
