from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import organisation_by_code
from mamoru.orgs.services import membership_add


class Command(BaseCommand):
    help = "Memberships: `mamoru membership add USERNAME ORG_CODE ROLE`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="give a person a role in an organisation")
        add.add_argument("username")
        add.add_argument("org_code")
        add.add_argument("role", choices=[r.value for r in Role])

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=options["username"])
        except user_model.DoesNotExist as exc:
            raise CommandError(f"利用者 {options['username']!r} はいません") from exc
        try:
            organisation = organisation_by_code(code=options["org_code"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"団体コード {options['org_code']!r} の団体はありません") from exc
        membership_add(
            principal=System("mamoru membership add"),
            user=user,
            organisation=organisation,
            role=options["role"],
        )
        self.stdout.write(
            f"{user.get_username()} を {organisation.name} の {Role(options['role']).label} にしました"
        )
