"""``mamoru accounts rotate-otp-key`` and ``mamoru accounts new-otp-key``: the keys that
encrypt authenticator seeds at rest (README, "Rotating keys")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mamoru.accounts.seeds import fernet_key_new
from mamoru.accounts.services import otp_seeds_reencrypt


class Command(BaseCommand):
    help = "Keys of the authenticator seeds: make a new one, or re-encrypt every seed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "rotate-otp-key",
            help="encrypt every seed again under the first key of MAMORU_OTP_ENCRYPTION_KEYS",
        )
        sub.add_parser("new-otp-key", help="print a new random key (it is not stored)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "new-otp-key":
            self.stdout.write(fernet_key_new())
            return
        result = otp_seeds_reencrypt()
        self.stdout.write(
            f"{result.reencrypted}件の認証アプリの秘密鍵を最新の暗号鍵で暗号化し直しました"
        )
        if result.undecryptable:
            ids = ", ".join(str(pk) for pk in result.undecryptable)
            raise CommandError(
                f"{len(result.undecryptable)}件はどの暗号鍵でも復号できませんでした（端末 ID: {ids}）。"
                "古い鍵を MAMORU_OTP_ENCRYPTION_KEYS に戻して再実行するか、該当者に二要素認証を"
                "設定し直してもらってください。",
                returncode=1,
            )
