from django.urls import path

from mamoru.audit import ui

app_name = "audit"
urlpatterns = [
    path("", ui.audit_log, name="log"),
]
