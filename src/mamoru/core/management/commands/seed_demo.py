from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mamoru.incidents.demo import seed_demo_incident
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import organisation_by_code
from mamoru.orgs.services import membership_add

DEMO_PASSWORD = "mamoru-demo-2026"  # noqa: S105 - printed on purpose: a local demo only

# (username, organisation code, role, what the login shows)
DEMO_PEOPLE = (
    ("demo-village", "133078", Role.EDITOR, "檜原村の担当者（1人情シス）"),
    ("demo-village-ciso", "133078", Role.CISO, "檜原村のCISO（副村長）: 報告を承認して提出"),
    ("demo-chiyoda", "131016", Role.ADMIN, "千代田区の管理者"),
    ("demo-ciso", "131016", Role.CISO, "千代田区のCISO"),
    ("demo-tokyo", "130001", Role.EDITOR, "東京都の支援担当"),
    ("demo-nation", "MIC", Role.EDITOR, "総務省の担当者"),
    ("demo-ppc", "PPC", Role.VIEWER, "個人情報保護委員会（報告の受付先）"),
)


class Command(BaseCommand):
    help = "Create the demo people of `make run` (never in production) and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("デモ利用者は本番環境では作成できません")
        user_model = get_user_model()
        with transaction.atomic():
            for username, code, role, _ in DEMO_PEOPLE:
                user, created = user_model.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@example.lg.jp"}
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                membership_add(user=user, organisation=organisation_by_code(code=code), role=role)
            # One submitted report from 千代田区, in the inboxes of 東京都, 総務省 and PPC.
            seed_demo_incident()
        self.stdout.write(f"デモ用ログイン（パスワードは共通: {DEMO_PASSWORD}）:")
        for username, _, _, label in DEMO_PEOPLE:
            self.stdout.write(f"  {username:<18} {label}")
