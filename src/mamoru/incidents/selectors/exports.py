"""Exports of a report through the gate: the same selectors the pages read (an own
report's whole submission, or a delivery cut for its recipient), each export recorded in
the audit log with its format.

The rendering itself is ``incidents.exports`` (its registry ``EXPORTERS``), given views
already cut for whoever asks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied

from mamoru.audit.models import Outcome
from mamoru.audit.services import audit_record
from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports import EXPORTERS
from mamoru.incidents.models import Delivery
from mamoru.incidents.records import delivery_view, submission_view
from mamoru.incidents.selectors.reports import inbox, reports_own, submissions_of
from mamoru.orgs.principal import Principal


class UnknownFormatError(ObjectDoesNotExist):
    """No export format of that name (404 at the interfaces, like any missing object)."""


@dataclass(frozen=True)
class Export:
    body: bytes
    media_type: str
    filename: str


def _render(fmt: str, view: SubmissionView, stem: str) -> Export:
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise UnknownFormatError(fmt)
    return Export(exporter.render([view]), exporter.media_type, f"{stem}.{exporter.file_extension}")


def _record(principal: Principal, target: str, details: dict[str, object], outcome: str) -> None:
    audit_record(
        action="incidents.export.read",
        actor=principal.user,
        organisation=principal.organisation,
        target=target,
        outcome=outcome,
        details={**details, "via": principal.via},
    )


def _audited(
    principal: Principal, target: str, details: dict[str, object], make: Callable[[], Export]
) -> Export:
    """Run ``make`` and record the export, allowed or refused, with its format."""
    try:
        export = make()
    except (ObjectDoesNotExist, PermissionDenied):
        _record(principal, target, details, Outcome.DENIED)
        raise
    _record(principal, target, details, Outcome.SUCCESS)
    return export


def report_export(*, principal: Principal, public_id: UUID | str, version: int, fmt: str) -> Export:
    """One version of an own report in format ``fmt`` (every section: the reporter's own).
    ``DoesNotExist`` outside the gate, for a version that does not exist or an unknown
    format; ``exports.PdfUnavailableError`` when the server cannot make PDFs."""

    def make() -> Export:
        report = reports_own(principal=principal).get(public_id=public_id)
        submission = submissions_of(principal=principal, report=report).get(version=version)
        return _render(fmt, submission_view(submission), f"incident-{report.number}-v{version}")

    return _audited(principal, str(public_id), {"format": fmt, "version": version}, make)


def inbox_export(*, principal: Principal, pk: int, fmt: str) -> Export:
    """A delivery to the principal's organisation in format ``fmt``, cut for it (only the
    sections its routing grants, TLP:RED only where it is named)."""
    try:
        delivery = inbox(principal=principal).get(pk=pk)
    except Delivery.DoesNotExist:
        _record(principal, str(pk), {"format": fmt, "delivery": pk}, Outcome.DENIED)
        raise
    view, _facts = delivery_view(delivery)
    stem = f"incident-{delivery.report.number}-v{view.version}-{principal.organisation.code}"
    return _audited(
        principal,
        str(delivery.report.public_id),
        {"format": fmt, "delivery": pk, "version": view.version},
        lambda: _render(fmt, view, stem),
    )
