"""The ``mamoru`` command: Django's management with mamoru's settings.

Commands are spelled with hyphens on the command line (``mamoru load-organisations``)
and defined as Django commands with underscores (``load_organisations``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    args[0] = "mamoru"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamoru.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
