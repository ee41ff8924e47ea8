from django.urls import path

from mamoru.orgs.ui import acting, directory, members, tokens

app_name = "orgs"
urlpatterns = [
    path("organisations/", directory.directory, name="directory"),
    path("organisations/municipalities/", directory.municipalities, name="municipalities"),
    path("organisations/<slug:code>/", directory.organisation, name="organisation"),
    path("organisations/<slug:code>/members/", members.members, name="members"),
    path("organisations/<slug:code>/members/invite/", members.member_invite, name="member_invite"),
    path(
        "organisations/<slug:code>/members/<int:pk>/role/", members.member_role, name="member_role"
    ),
    path(
        "organisations/<slug:code>/members/<int:pk>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path(
        "organisations/<slug:code>/invitations/<int:pk>/revoke/",
        members.invitation_cancel,
        name="invitation_revoke",
    ),
    path("invitations/<str:secret>/", members.invitation_accept_page, name="invitation_accept"),
    path("accounts/settings/tokens/", tokens.tokens, name="tokens"),
    path("accounts/settings/tokens/new/", tokens.token_create, name="token_create"),
    path("accounts/settings/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("accounts/switch/", acting.switch, name="switch"),
]
