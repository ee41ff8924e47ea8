"""Shared set-up of the vulns benchmarks: a fresh database in a temporary directory."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def fresh_database() -> Path:
    """Point Django at a new SQLite file (unless MAMORU_DATABASE_URL is set) and migrate."""
    workdir = Path(tempfile.mkdtemp(prefix="mamoru-bench-"))
    os.environ.setdefault("MAMORU_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamoru.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return workdir


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def kev_snapshot() -> Path:
    shared = Path(os.environ.get("MAMORU_SHARED_DATA", REPO.parent / "shared" / "data"))
    return shared / "kev" / "known_exploited_vulnerabilities.json"
