"""The build fails when tenant data is queried outside the access gate.

A tenant model is one that belongs to an organisation (a foreign key to it) or is the
organisation itself. Its manager (``Model.objects``) may only be used in selectors
(reads through the gate), services (writes), migrations and tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from mamoru.orgs.models import Organisation

PACKAGE = Path(__file__).resolve().parents[2]
ALLOWED_FILES = {"selectors.py", "services.py", "testing.py", "conftest.py"}
ALLOWED_DIRS = {"selectors", "services", "migrations", "tests"}


def tenant_model_names() -> set[str]:
    names = {Organisation.__name__}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Organisation:
                names.add(model.__name__)
    return names


def is_allowed(path: Path) -> bool:
    return path.name in ALLOWED_FILES or bool(
        ALLOWED_DIRS & set(path.relative_to(PACKAGE).parts[:-1])
    )


def manager_uses(path: Path, names: set[str], root: Path = PACKAGE.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value.id}.objects"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in {"objects", "_default_manager", "_base_manager"}
        and isinstance(node.value, ast.Name)
        and node.value.id in names
    ]


def test_tenant_models_are_known() -> None:
    names = tenant_model_names()
    assert {"Organisation", "Membership", "Grant", "ApiToken"} <= names


@pytest.mark.parametrize(
    "path", sorted(p for p in PACKAGE.rglob("*.py") if not is_allowed(p)), ids=str
)
def test_no_tenant_query_outside_the_gate(path: Path) -> None:
    assert manager_uses(path, tenant_model_names()) == []


def test_the_lint_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("def v(r):\n    return Membership.objects.all()\n")
    assert manager_uses(bad, {"Membership"}, root=tmp_path) == ["views.py:2: Membership.objects"]
