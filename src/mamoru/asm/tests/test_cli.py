"""``mamoru asm``: a scan queued and followed to its end with a progress bar, its status,
and the recovery of jobs."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mamoru.asm.models import Scan
from mamoru.asm.testing import approved_asset
from mamoru.asm.tests.loopback import Lab
from mamoru.orgs.selectors import organisation_by_code
from mamoru.testing import CHIYODA, ensure_organisations


@pytest.mark.django_db(transaction=True)
def test_a_scan_is_followed_to_its_end(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real transaction: the scan runs when it is queued (immediate backend), as a worker
    # would run it, and the command follows it to the end.
    ensure_organisations()
    approved_asset(organisation_by_code(code=CHIYODA), lab.ip, ports=lab.port_list)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    call_command("asm", "scan", CHIYODA, "--wait", "--poll", "0.1", stdout=out)
    scan = Scan.objects.unscoped("test").get()
    assert f"診断 {scan.pk} を登録しました" in out.getvalue()
    assert "終了: 1件成功、0件失敗" in out.getvalue()
    assert "100.0%" in err.getvalue()  # the bar (a line per change: stderr is no terminal)
    status = io.StringIO()
    call_command("asm", "status", str(scan.pk), stdout=status)
    assert "完了" in status.getvalue()
    recover = io.StringIO()
    call_command("asm", "jobs", "recover", stdout=recover)
    assert "再実行: 0件" in recover.getvalue()
    with pytest.raises(CommandError, match="999999"):
        call_command("asm", "scan", "999999")


def test_the_command_refuses_an_organisation_without_approved_assets(db: Any) -> None:
    from django.core.exceptions import ValidationError

    ensure_organisations()  # a transactional test before this one may have flushed them
    with pytest.raises(ValidationError, match="承認済みの資産がありません"):
        call_command("asm", "scan", CHIYODA, stdout=io.StringIO())
