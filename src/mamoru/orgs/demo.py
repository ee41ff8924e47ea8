"""The demo people of ``make run``: one login per role the platform serves."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from mamoru.core.demo import demo_seeder
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import organisation_by_code
from mamoru.orgs.services import membership_add

DEMO_PASSWORD = "mamoru-demo-2026"  # noqa: S105 - printed on purpose: a local demo only

# (username, display name, organisation code, role, what the login shows)
DEMO_PEOPLE = (
    ("demo-village", "檜原村 情報担当 山本", "133078", Role.EDITOR, "檜原村の担当者（1人情シス）"),
    (
        "demo-village-ciso",
        "檜原村 副村長 中村",
        "133078",
        Role.CISO,
        "檜原村のCISO（副村長）: 報告を承認して提出",
    ),
    ("demo-chiyoda", "千代田区 情報政策課 佐藤", "131016", Role.ADMIN, "千代田区の管理者"),
    ("demo-ciso", "千代田区 CISO 鈴木", "131016", Role.CISO, "千代田区のCISO"),
    ("demo-tokyo", "東京都 デジタルサービス局 高橋", "130001", Role.EDITOR, "東京都の支援担当"),
    ("demo-nation", "総務省 地域情報化企画室 田中", "MIC", Role.EDITOR, "総務省の担当者"),
    (
        "demo-ppc",
        "個人情報保護委員会 渡辺",
        "PPC",
        Role.VIEWER,
        "個人情報保護委員会（報告の受付先）",
    ),
)


@demo_seeder(order=10)
def demo_people() -> list[str]:
    """The demo logins (created once; their roles are set again on every run)."""
    user_model = get_user_model()
    for username, display_name, code, role, _ in DEMO_PEOPLE:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.lg.jp", "display_name": display_name},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership_add(
            principal=System("mamoru seed-demo"),
            user=user,
            organisation=organisation_by_code(code=code),
            role=role,
        )
    lines = [f"デモ用ログイン（パスワードは共通: {DEMO_PASSWORD}）:"]
    lines += [f"  {username:<18} {label}" for username, _, _, _, label in DEMO_PEOPLE]
    return lines
