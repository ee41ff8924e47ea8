"""The security-cloud demo of ``make run``: 東京都 operates the cloud for its 62
municipalities; a small month of generated logs (last month: the cited mix scaled down,
four planted attacks) is ingested with the generated ranges and known-bad list, so the
dashboard shows devices, alerts (a high-severity one opens the attention list) and last
month's report for 東京都 and each municipality. Seconds, and idempotent: the same seed
writes the same bytes, whose segments are already in on a second run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils import timezone

from mamoru.core.demo import demo_seeder
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import System
from mamoru.seccloud import services
from mamoru.seccloud.generation import generate_month
from mamoru.seccloud.models import Alert, MonthlyFigures

TOKYO = "130001"
ROWS = 20_000


@demo_seeder(order=70)
def demo_seccloud() -> list[str]:
    prefecture = Organisation.objects.unscoped("the demo's prefecture").filter(code=TOKYO).first()
    if prefecture is None:
        return []
    system = System("mamoru seed-demo")
    month = services.last_month(timezone.localdate())
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        logs = generate_month(out, prefecture="13", month=f"{month:%Y-%m}", rows=ROWS, seed=7)
        services.ranges_import(principal=system, data=(out / "ranges.csv").read_bytes())
        services.bad_destinations_import(
            principal=system, prefecture=prefecture, addresses=logs.bad_destinations,
            note="デモ: 生成した既知の悪性宛先",
        )  # fmt: skip
        services.device_save(principal=system, prefecture=prefecture, name="FGT-TOKYO-01",
                             format="fortigate", description="デモ: 都のファイアウォール")  # fmt: skip
        run = services.ingest_files(
            principal=system, prefecture=prefecture, paths=logs.files, source="デモのログ"
        )
    services.figures_compute(principal=system, prefecture=prefecture, month=month)
    services.schedule_save(principal=system, prefecture=prefecture, day_of_month=3)
    alerts = Alert.objects.unscoped("the demo counts what it made").filter(prefecture=prefecture)
    figures = MonthlyFigures.objects.unscoped("the demo counts what it made").filter(
        prefecture=prefecture, month=month
    )
    return [
        f"デモのセキュリティクラウド: 東京都の{month:%Y年%m月}分 {run.rows_read:,}行"
        f"（アラート {alerts.count()}件、月次報告 {figures.count()}団体）"
    ]
