from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.accounts.services import user_create


class Command(BaseCommand):
    help = "People: `mamoru user create USERNAME [--email E] [--password-stdin]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a person")
        create.add_argument("username")
        create.add_argument("--email", default="")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str | None = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("標準入力からパスワードを読み取れませんでした")
        try:
            user = user_create(
                username=options["username"], email=options["email"], password=password
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"利用者 {user.get_username()} を作成しました")
        if password is None:
            self.stdout.write(
                "パスワードは未設定のため、このままではログインできません。"
                f"`mamoru changepassword {user.get_username()}` で設定してください。"
            )
