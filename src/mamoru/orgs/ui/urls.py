from django.urls import path

from mamoru.orgs.ui import acting, directory, tokens

app_name = "orgs"
urlpatterns = [
    path("organisations/", directory.directory, name="directory"),
    path("organisations/municipalities/", directory.municipalities, name="municipalities"),
    path("organisations/<slug:code>/", directory.organisation, name="organisation"),
    path("accounts/settings/tokens/", tokens.tokens, name="tokens"),
    path("accounts/settings/tokens/new/", tokens.token_create, name="token_create"),
    path("accounts/settings/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("accounts/switch/", acting.switch, name="switch"),
]
