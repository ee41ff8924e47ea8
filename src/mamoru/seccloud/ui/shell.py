"""What the security cloud adds to the shell: the menu entry (each role lands on its own
view), the home panel (today's lines and open alerts), and the attention item for open
alerts of high severity, linking to the alert itself. Registered by ``SeccloudConfig``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.core.access import Permission
from mamoru.core.navigation import (
    Attention,
    Level,
    NavEntry,
    Panel,
    Section,
    attention_check,
    home_panel,
    nav_entry,
)
from mamoru.orgs.principal import Principal
from mamoru.seccloud import selectors

MAX_ENTRIES = 10


def _reads(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.can(Permission.DATA_VIEW)
        and (principal.organisation.is_local_government or selectors.sees_national(principal))
    )


nav_entry(
    NavEntry(
        key="seccloud.home",
        section=Section.DIAGNOSIS,
        label=gettext_lazy("セキュリティクラウド"),
        url_name="seccloud:home",
        order=40,
        description=gettext_lazy("セキュリティクラウドのログの集計、アラート、月次報告を見ます。"),
        show=_reads,
    )
)


def _panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    """For a prefecture operating the cloud: today's lines, open and high alerts."""
    if not _reads(principal):
        return None
    assert principal is not None
    operated = selectors.operates(principal)
    if operated is None:
        return None
    health = selectors.device_health(
        principal=principal, prefecture=operated, today=timezone.localdate()
    )
    return {
        "prefecture": operated,
        "counts": selectors.alert_counts(principal=principal, prefecture=operated),
        "lines_today": sum(h.lines_today for h in health),
        "devices": len(health),
    }


home_panel(Panel("seccloud.overview", "seccloud/panels/overview.html", 40, _panel))


@attention_check
def seccloud_high_alerts(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.can(Permission.DATA_VIEW):
        return None
    if not principal.organisation.is_local_government:
        return None
    waiting = selectors.alerts_open_high(principal=principal)
    alerts = list(waiting[:MAX_ENTRIES])
    if not alerts:
        return None
    return Attention(
        key="seccloud-high-alerts",
        level=Level.DANGER,
        title=_("重大度「高」以上の未対応アラートがあります（%(count)d件）")
        % {"count": waiting.count() if len(alerts) == MAX_ENTRIES else len(alerts)},
        detail=_("内容を確認し、「確認済み」にしてから対応を記録してください。"),
        url=reverse("seccloud:alert", args=[alerts[0].pk]),
        action=_("アラートを開く"),
        entries=[
            _("%(org)s: %(title)s（%(source)s、%(day)s）")
            % {
                "org": a.organisation.name,
                "title": a.title,
                "source": a.source,
                "day": f"{a.day:%m月%d日}",
            }
            for a in alerts
        ],
    )
