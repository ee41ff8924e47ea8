from django.urls import URLPattern, path

from mamoru.accounts.ui import account, auth, reset

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", auth.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", auth.mfa_verify_view, name="mfa_verify"),
    path("mfa/disable/", auth.mfa_disable_view, name="mfa_disable"),
    path("mfa/recovery-codes/", auth.mfa_recovery_regenerate, name="mfa_recovery_codes"),
    path("settings/", account.settings_view, name="settings"),
    path("settings/profile/", account.profile_view, name="profile"),
    path("settings/password/", account.password_change_view, name="password_change"),
    path("password-reset/", reset.ResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", reset.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        reset.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", reset.ResetCompleteView.as_view(), name="password_reset_complete"),
]
