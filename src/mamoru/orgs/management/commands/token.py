from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import System
from mamoru.orgs.selectors import organisation_by_code
from mamoru.orgs.services import api_token_create


class Command(BaseCommand):
    help = (
        "API tokens: `mamoru token create USERNAME --org ORG_CODE [--expires-days N]"
        " [--name NAME] [--permission P …]`. Prints the token, and nothing else, once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token (printed once on stdout)")
        create.add_argument("username")
        create.add_argument("--org", required=True, dest="org_code")
        create.add_argument("--expires-days", type=int, default=None)
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--permission",
            action="append",
            dest="permissions",
            choices=[p.value for p in Permission],
            help="repeat for several; default: everything the person holds there",
        )

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
        try:
            _, plaintext = api_token_create(
                principal=System("mamoru token create"),
                user=user,
                organisation=organisation,
                name=options["name"],
                permissions=options["permissions"],
                expires_in_days=options["expires_days"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        # Only the token on stdout, so that scripts can capture it.
        self.stdout.write(plaintext)
