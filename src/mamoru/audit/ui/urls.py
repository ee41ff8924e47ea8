from django.urls import path

from mamoru.audit.ui import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
]
