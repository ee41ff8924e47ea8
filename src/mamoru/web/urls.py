from django.urls import include, path

from mamoru.web.ui import home

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    # Django's set_language view (POST): the language switcher in the layout.
    path("i18n/", include("django.conf.urls.i18n")),
]
