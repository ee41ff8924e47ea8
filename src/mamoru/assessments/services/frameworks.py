"""Loading framework versions and version mappings into the database (operators' CLI).

A loaded version is immutable: the same URN with another document is refused, because
submissions and snapshots were scored against the one stored. A change is a new version
with its own URN, and a mapping carries the answers forward to it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mamoru.assessments.definitions import definition, digest_of
from mamoru.assessments.library import FrameworkError, parse_framework, parse_mapping
from mamoru.assessments.library.loader import read_yaml
from mamoru.assessments.models import Framework, FrameworkMapping
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.principal import Actor, System, audit


def _operator_only(principal: Actor) -> None:
    if not isinstance(principal, System):
        raise PermissionDenied(_("フレームワークは運用者がコマンドで登録します。"))


def _invalid(exc: FrameworkError) -> ValidationError:
    return ValidationError([str(issue) for issue in exc.issues])


@transaction.atomic
def framework_load(*, principal: Actor, text: str, source: str) -> Framework:
    """Validate a framework document and store it under its URN (idempotent for the same
    document; ``StateConflict`` for a different document under a stored URN)."""
    _operator_only(principal)
    digest = digest_of(text)
    same = Framework.objects.filter(digest=digest).first()
    if same is not None:
        return same  # loaded before: already validated
    try:
        parsed = parse_framework(text, source=source)
    except FrameworkError as exc:
        raise _invalid(exc) from exc
    existing = Framework.objects.filter(urn=parsed.urn).first()
    if existing is not None:
        if existing.digest != digest:
            raise StateConflict(
                _(
                    "%(urn)s は別の内容で登録済みです。内容を変えるときは版を上げ、"
                    "新しい URN で登録してください。"
                )
                % {"urn": parsed.urn}
            )
        return existing
    framework = Framework.objects.create(
        urn=parsed.urn,
        slug=parsed.slug,
        version=parsed.version,
        name=parsed.name.ja,
        name_en=parsed.name.en,
        document=text,
        digest=digest,
        item_count=len(parsed.items),
    )
    audit(principal, "assessments.framework.load", target=parsed.urn, details={"digest": digest})
    return framework


def _stored(urn: object) -> Framework:
    found = Framework.objects.filter(urn=str(urn)).first()
    if found is None:
        raise ValidationError(_("フレームワーク %(urn)s は登録されていません。") % {"urn": urn})
    return found


@transaction.atomic
def mapping_load(*, principal: Actor, text: str, source: str) -> FrameworkMapping:
    """Validate a version mapping against both stored frameworks and store it."""
    _operator_only(principal)
    try:
        data = read_yaml(text, source=source)
    except FrameworkError as exc:
        raise _invalid(exc) from exc
    if not isinstance(data, dict):
        raise ValidationError(_("対応付けの定義が読み取れません。"))
    old, new = _stored(data.get("from")), _stored(data.get("to"))
    try:
        parse_mapping(text, source=source, old=definition(old), new=definition(new))
    except FrameworkError as exc:
        raise _invalid(exc) from exc
    mapping, _created = FrameworkMapping.objects.update_or_create(
        source=old, target=new, defaults={"document": text, "digest": digest_of(text)}
    )
    audit(principal, "assessments.mapping.load", target=f"{old.urn} -> {new.urn}")
    return mapping
