"""The home page: the hub every person starts from.

It shows, for the organisation the person acts in: what needs attention (each item links
to the thing itself), everything this person can do (one click to each capability, under
the headings of the menu's groups: the shell's ``navigation`` context), and
the panels the apps contribute for this kind of organisation. It is composed from
``core.navigation``'s registries; it names no app.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mamoru.core.navigation import attention_for, home_panels_for
from mamoru.core.pages import page
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal


def _eyebrow(principal: Principal) -> str:
    organisation = principal.organisation
    if principal.supervisor == Supervisor.NATION:
        return _("全国")
    if organisation.is_municipality and organisation.parent is not None:
        return f"{organisation.parent.name} · {organisation.get_kind_display()}"
    if organisation.kind == OrganisationKind.NATIONAL:
        return _("報告の受付機関")
    return str(organisation.get_kind_display())


def _lead(principal: Principal) -> str:
    if principal.supervisor == Supervisor.NATION:
        return _("全国の地方公共団体の状況と、国に届いた報告を確認できます。")
    if principal.supervisor == Supervisor.PREFECTURE:
        return _("域内の市区町村の状況を確認し、届いた報告に対応できます。")
    if principal.organisation.is_municipality:
        return _(
            "まず「対応が必要なこと」を確認してください。インシデント（情報漏えいやウイルス感染など）が起きたときは「インシデント報告」から報告します。"
        )
    return _("地方公共団体から貴機関あてに送られた報告は、この画面から確認できます。")


@page
def home(request: HttpRequest, principal: Principal) -> HttpResponse:
    context = {
        "organisation": principal.organisation,
        "eyebrow": _eyebrow(principal),
        "lead": _lead(principal),
        "attention": attention_for(request, principal),
        "panels": home_panels_for(request, principal),
    }
    return render(request, "web/home.html", context)
