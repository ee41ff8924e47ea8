"""One organisation's attack surface: its overview with this month's exposure, its assets
and their scope, the names discovery suggests, its services and its scans."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from mamoru.asm import selectors, services
from mamoru.asm.models import ScanReason, ScopeState
from mamoru.asm.ui.common import flash, month_charts, page_context
from mamoru.asm.ui.forms import AssetEditForm, AssetForm, ImportForm
from mamoru.core.pages import act, page, paginate, run, wants_fragment
from mamoru.core.progress import progress_get
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal


@page
def overview(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(principal=principal, code=code)
    exposure = selectors.organisation_exposure(principal=principal, organisation=organisation)
    snapshots = selectors.exposure_month(principal=principal, organisation=organisation)
    scans = selectors.scans_of(principal=principal, organisation=organisation)
    context = {
        **page_context(principal, organisation),
        **month_charts(list(snapshots), exposure),
        "exposure": exposure,
        "snapshots": snapshots,
        "month": timezone.localdate(),
        "latest_scan": scans.exclude(reason=ScanReason.VERIFICATION).first(),
        "alerts": selectors.alerts_of(principal=principal, organisation=organisation)[:5],
    }
    return render(request, "asm/overview.html", context)


def _assets_page(
    request: HttpRequest,
    principal: Principal,
    code: str,
    *,
    form: AssetForm | None = None,
    import_form: ImportForm | None = None,
    import_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = selectors.asm_organisation(principal=principal, code=code)
    assets = selectors.assets_of(principal=principal, organisation=organisation)
    context = {
        **page_context(principal, organisation),
        "page": paginate(request, assets),
        "proposed": assets.filter(scope_state=ScopeState.PROPOSED).count(),
        "suggestions": paginate(
            request, selectors.suggestions_of(principal=principal, organisation=organisation)
        ),
        "form": form or AssetForm(),
        "import_form": import_form or ImportForm(),
        "import_errors": import_errors or [],
    }
    return render(request, "asm/assets.html", context, status=status)


@page
def assets(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    if request.method != "POST":
        return _assets_page(request, principal, code)
    organisation = selectors.asm_organisation(principal=principal, code=code)
    form = AssetForm(request.POST)
    if form.is_valid():
        asset, errors = run(
            lambda: services.asset_create(
                principal=principal, organisation=organisation, **form.cleaned_data
            )
        )
        if asset is not None:
            flash(request, [], _("「%(value)s」を登録しました。") % {"value": asset.value})
            return redirect("asm:assets", code=code)
        for error in errors:
            form.add_error("value", error)
    return _assets_page(request, principal, code, form=form, status=400)


@page
@require_POST
def assets_import(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(principal=principal, code=code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _assets_page(request, principal, code, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    summary, errors = run(
        lambda: services.assets_import(
            principal=principal, organisation=organisation, data=upload.read(), filename=upload.name
        )
    )
    if summary is None:
        return _assets_page(request, principal, code, import_errors=errors, status=400)
    message = _("%(created)d件を取り込みました（承認待ち）。") % {"created": len(summary.created)}
    if summary.already:
        message += _("%(n)d件は登録済みのため、そのままにしました。") % {"n": len(summary.already)}
    flash(request, [], message)
    return redirect("asm:assets", code=code)


@page
@require_POST
def assets_approve_all(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(principal=principal, code=code)
    proposed = selectors.assets_of(principal=principal, organisation=organisation).filter(
        scope_state=ScopeState.PROPOSED
    )
    act(
        request,
        lambda: services.assets_approve(principal=principal, assets=list(proposed)),
        success=_("承認待ちの資産をすべて診断対象にしました。"),
    )
    return redirect("asm:assets", code=code)


@page
def asset(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.asset_get(principal=principal, pk=pk)
    form = AssetEditForm(
        request.POST or None,
        initial={"ports": found.ports, "owner": found.owner, "note": found.note},
    )
    if request.method == "POST" and form.is_valid():
        done = act(
            request,
            lambda: services.asset_update(principal=principal, asset=found, **form.cleaned_data),
            success=_("資産の情報を保存しました。"),
        )
        if done:
            return redirect("asm:asset", pk=pk)
    context = {**page_context(principal, found.organisation), "asset": found, "form": form}
    return render(request, "asm/asset.html", context)


ASSET_ACTIONS = {
    "approve": (services.asset_approve, gettext_noop("「%(value)s」を診断対象にしました。")),
    "retire": (services.asset_retire, gettext_noop("「%(value)s」を診断対象から外しました。")),
}


@page
@require_POST
def asset_action(request: HttpRequest, principal: Principal, pk: int, action: str) -> HttpResponse:
    found = selectors.asset_get(principal=principal, pk=pk)
    if action not in ASSET_ACTIONS:
        raise Http404
    service, message = ASSET_ACTIONS[action]
    act(request, lambda: service(principal=principal, asset=found),
        success=_(message) % {"value": found.value})  # fmt: skip
    return redirect("asm:assets", code=found.organisation.code)


@page
@require_POST
def suggestions_discover(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(principal=principal, code=code)
    found, errors = run(
        lambda: services.suggestions_discover(principal=principal, organisation=organisation)
    )
    flash(request, errors, _("新しい候補が%(n)d件見つかりました。") % {"n": len(found or [])})
    return redirect("asm:assets", code=code)


@page
@require_POST
def suggestion_action(
    request: HttpRequest, principal: Principal, pk: int, action: str
) -> HttpResponse:
    suggestion = selectors.suggestion_get(principal=principal, pk=pk)
    if action not in {"accept", "reject"}:
        raise Http404
    if action == "accept":
        act(request, lambda: services.suggestion_accept(principal=principal, suggestion=suggestion),
            success=_("「%(value)s」を資産に追加しました（承認待ち）。") % {"value": suggestion.value})  # fmt: skip
    else:
        act(request, lambda: services.suggestion_reject(principal=principal, suggestion=suggestion),
            success=_("「%(value)s」を対象外にしました。") % {"value": suggestion.value})  # fmt: skip
    return redirect("asm:assets", code=suggestion.organisation.code)


@page
def services_list(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(
        principal=principal, code=code, kind=DataKind.FINDINGS
    )
    rows = selectors.services_of(principal=principal, organisation=organisation)
    context = {
        **page_context(principal, organisation),
        "page": paginate(request, rows),
        "recog": rows.filter(source="recog").exists(),
    }
    return render(request, "asm/services.html", context)


@page
def scans(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(principal=principal, code=code)
    if request.method == "POST":
        scan, errors = run(
            lambda: services.scan_request(principal=principal, organisation=organisation)
        )
        flash(request, errors, _("診断を依頼しました。順番が来ると始まります。"))
        if scan is not None:
            return redirect("asm:scan", pk=scan.pk)
        return redirect("asm:scans", code=code)
    rows = selectors.scans_of(principal=principal, organisation=organisation)
    context = {**page_context(principal, organisation), "page": paginate(request, rows)}
    return render(request, "asm/scans.html", context)


def _scan_context(principal: Principal, pk: int) -> dict[str, object]:
    scan = selectors.scan_get(principal=principal, pk=pk)
    progress = progress_get(task_id=scan.progress_key)
    return {
        **page_context(principal, scan.organisation),
        "scan": scan,
        "progress": progress,
        "percent": progress.percent if progress and progress.percent is not None else 0,
    }


@page
def scan(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    context = _scan_context(principal, pk)
    return render(request, "asm/scan.html", context)


@page
def scan_progress(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    """The progress block alone, for htmx to poll while the scan runs."""
    context = _scan_context(principal, pk)
    template = "asm/_scan_progress.html" if wants_fragment(request) else "asm/scan.html"
    return render(request, template, context)
