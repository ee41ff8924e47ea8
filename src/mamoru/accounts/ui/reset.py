"""Password reset by e-mail, with Django's views: a single-use link signed with the
person's current password hash and the secret key (``PASSWORD_RESET_TIMEOUT``).

No account enumeration: the "sent" page is the same whether or not the address belongs to
anyone, and only active people with a usable password get a mail. Rate-limited per client
address and per address asked for (``RESET_LIMIT`` in ``RESET_WINDOW``), so the form cannot
be used to flood someone's mailbox or to probe quickly.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from mamoru.accounts.ui.forms import ResetRequestForm, ResetSetPasswordForm
from mamoru.audit.context import current_ip_address
from mamoru.audit.services import audit_record

RESET_LIMIT = 5
RESET_WINDOW = 60 * 60  # seconds


def _over_limit(*keys: str) -> bool:
    over = False
    for key in keys:
        cache.add(key, 0, RESET_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RESET_WINDOW)
            count = 1
        over = over or count > RESET_LIMIT
    return over


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        address = current_ip_address() or "unknown"
        email = str(form.cleaned_data["email"]).strip().lower()
        if _over_limit(f"reset:ip:{address}", f"reset:email:{email}"):
            context = {"form": form, "limited": True}
            return render(self.request, self.template_name, context, status=429)
        response: HttpResponse = super().form_valid(form)
        return response


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        audit_record(
            action="accounts.password.reset", actor=form.user, target=f"user:{form.user.pk}"
        )
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["message"] = _("パスワードを設定しました。新しいパスワードでログインしてください。")
        return context
