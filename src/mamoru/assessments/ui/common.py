"""What the assessment pages share: the target being looked at, what the principal may
do with it (to show buttons — the services decide), refusals and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mamoru.assessments import selectors
from mamoru.assessments.library import Framework
from mamoru.assessments.models import CampaignStatus, Target, TargetStatus
from mamoru.core.access import Permission
from mamoru.orgs.principal import Principal


@dataclass(frozen=True)
class Role:
    """How the principal stands to a target: the organisation itself (may it edit,
    submit?) or a reviewer (its supervisor or the campaign's sender): the buttons shown, and
    whether the working answers or the submitted ones are."""

    own: bool
    can_edit: bool
    answering: bool  # its own, the campaign open and the target not yet submitted
    can_submit: bool
    can_review: bool


def role_of(principal: Principal, target: Target) -> Role:
    own = target.organisation_id == principal.organisation.pk
    open_ = target.campaign.status == CampaignStatus.OPEN
    editable = own and open_ and target.editable
    reviewer = not own and principal.organisation.pk in {
        target.organisation.parent_id,
        target.campaign.owner_id,
    }
    return Role(
        own=own,
        answering=editable,
        can_edit=editable and principal.can(Permission.DATA_EDIT),
        can_submit=editable and principal.can(Permission.REPORTS_APPROVE),
        can_review=reviewer
        and open_
        and principal.can(Permission.DATA_EDIT)
        and target.status == TargetStatus.SUBMITTED,
    )


def target_for(principal: Principal, pk: int) -> tuple[Target, Framework]:
    target = selectors.target_get(principal=principal, pk=pk)
    return target, selectors.framework_of(target)


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "assessments/refused.html", {"message": message}, status=status)


def download(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file download that the browser never renders (``attachment``, ``nosniff``)."""
    response = HttpResponse(body, content_type=content_type)
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
