"""What every service of the security cloud shares: the engine's configuration and store
from the settings, and the check that the principal operates a prefecture's cloud."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import Actor, System, require
from mamoru.seccloud.engine import EngineConfig


def engine_config() -> EngineConfig:
    """DuckDB's memory cap, threads and spill directory (``MAMORU_SECCLOUD_*``)."""
    return EngineConfig(
        memory_limit=settings.MAMORU_SECCLOUD_MEMORY_LIMIT,
        threads=settings.MAMORU_SECCLOUD_THREADS,
        temp_directory=Path(settings.MAMORU_SECCLOUD_TEMP_DIRECTORY),
    )


def store_root() -> Path:
    """The engine's store (events, rollups, raw archive, quarantine)."""
    return Path(settings.MAMORU_SECCLOUD_DATA_ROOT) / "store"


def spool_root(prefecture: Organisation) -> Path:
    """Where the syslog receiver of ``prefecture`` writes its segments (``closed/`` inside)."""
    return Path(settings.MAMORU_SECCLOUD_DATA_ROOT) / "spool" / f"pref={prefecture.prefecture_code}"


def prefecture_by_code(code: str) -> Organisation:
    """The prefecture of a code ('13', '13000' or '130001'); ValidationError in Japanese."""
    digits = code.strip()
    if not digits.isdigit() or len(digits) not in (2, 5, 6):
        raise ValidationError(_("都道府県コードが正しくありません: %(code)s") % {"code": code})
    found = (
        Organisation.objects.unscoped("resolving a prefecture code given on the command line")
        .filter(kind=OrganisationKind.PREFECTURE, prefecture_code=digits[:2])
        .first()
    )
    if found is None:
        raise ValidationError(_("都道府県が見つかりません: %(code)s") % {"code": code})
    return found


def require_operator(principal: Actor, prefecture: Organisation) -> None:
    """Refuse unless the principal edits data acting in ``prefecture`` (or is the system)."""
    if prefecture.kind != OrganisationKind.PREFECTURE:
        raise PermissionDenied(_("セキュリティクラウドを運用するのは都道府県です。"))
    require(principal, Permission.DATA_EDIT, organisation=prefecture)


def is_system(principal: Actor) -> bool:
    return isinstance(principal, System)
