"""What every attack-surface page needs: who to ask, and what the viewer may do here."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mamoru.asm.models import ExposureSnapshot, OrganisationExposure
from mamoru.asm.services._access import acts_for_nation
from mamoru.core import charts
from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.national import NATIONAL_OPERATOR
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_by_code


def support_desk(organisation: Organisation) -> Organisation | None:
    """Who a local government asks for help: its prefecture's support desk; a prefecture
    asks the national operator (総務省)."""
    if organisation.kind == OrganisationKind.PREFECTURE:
        return organisation_by_code(code=NATIONAL_OPERATOR.code)
    parent = organisation.parent
    while parent is not None and parent.kind != OrganisationKind.PREFECTURE:
        parent = parent.parent
    return parent


def is_own(principal: Principal, organisation: Organisation) -> bool:
    return principal.organisation.pk == organisation.pk


def can_edit(principal: Principal, organisation: Organisation) -> bool:
    """Whether to show the buttons of the organisation's own editors (the services decide)."""
    return is_own(principal, organisation) and principal.can(Permission.DATA_EDIT)


def can_add_assets(principal: Principal, organisation: Organisation) -> bool:
    """Its own editors, or a national operator on its behalf."""
    return can_edit(principal, organisation) or acts_for_nation(principal, organisation)


def page_context(principal: Principal, organisation: Organisation) -> dict[str, object]:
    return {
        "organisation": organisation,
        "is_own": is_own(principal, organisation),
        "can_edit": can_edit(principal, organisation),
        "can_add_assets": can_add_assets(principal, organisation),
        "desk": support_desk(organisation),
        "viewer_note": ""
        if is_own(principal, organisation)
        else _(
            "%(name)s の情報を、支援のために閲覧しています。操作は %(name)s の担当者が行います。"
        )
        % {"name": organisation.name},
    }


def flash(request: HttpRequest, errors: list[str], success: str) -> None:
    """A service's refusal (each message), or its success."""
    for error in errors:
        messages.error(request, error)
    if not errors and success:
        messages.success(request, success)


def month_charts(
    snapshots: Sequence[ExposureSnapshot], exposure: OrganisationExposure | None
) -> dict[str, object]:
    """This month's exposure as a line chart by day and a bar chart by priority."""
    labels = [_("%(day)d日") % {"day": s.date.day} for s in snapshots]
    line = charts.line_chart(
        labels,
        {
            _("未解決"): [s.findings_open for s in snapshots],
            _("KEV"): [s.kev_open for s in snapshots],
        },
        title=_("今月の未解決の検出結果（日ごと）"),
        unit=_("件"),
    )
    by_priority = [
        (str(label), getattr(exposure, f"priority_{level}", 0) if exposure else 0)
        for level, label in ((1, _("最優先")), (2, _("高")), (3, _("中")), (4, _("低")))
    ]
    bars = charts.bar_chart(by_priority, title=_("優先度ごとの未解決の検出結果"), unit=_("件"))
    return {"month_chart": line, "priority_chart": bars, "by_priority": by_priority}
