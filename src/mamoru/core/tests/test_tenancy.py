"""Tenant data is declared, and read only through the gate (``mamoru.core.tenancy``).

* every model — ours and the libraries' — is classified as tenant data (with the path to
  its organisation) or shared data (with the reason);
* in every runtime file (no exemption by file name: selectors and services too), a query
  of a tenant model starts at ``within(…)`` / ``addressed_to(…)`` with the gate's set, or at
  ``unscoped("reason")`` with a literal reason; ``create``/``bulk_create`` write rows the
  service checked. Tests and migrations are not runtime code.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest
from django.apps import apps

from mamoru.core.tenancy import GATED_ENTRY_POINTS, tenancy_of

PACKAGE = Path(__file__).resolve().parents[2]
MANAGERS = {"objects", "_default_manager", "_base_manager"}
NOT_RUNTIME = {"tests", "migrations", "app_template", "testing"}


def tenant_model_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        tenancy = tenancy_of(model)
        if tenancy is not None and tenancy.is_tenant:
            names.add(model.__name__)
    return names


def shared_homes() -> dict[str, set[str]]:
    """Names of tenant models that another app also gives a shared model (progress's
    ``Campaign`` beside assessments' and asm's), with the apps holding the shared one: a
    file that imports the name from such an app queries shared data."""
    tenant = tenant_model_names()
    homes: dict[str, set[str]] = {}
    for model in apps.get_models():
        tenancy = tenancy_of(model)
        if model.__name__ in tenant and tenancy is not None and not tenancy.is_tenant:
            homes.setdefault(model.__name__, set()).add(model._meta.app_config.name)
    return homes


def _imported_from(tree: ast.AST, module: str) -> dict[str, str]:
    """Each name a file imports with ``from X import name``, and X (relative ones resolved)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = module.rsplit(".", node.level)[0] if node.level else ""
            source = ".".join(p for p in (base, node.module or "") if p)
            for alias in node.names:
                found[alias.asname or alias.name] = source
    return found


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _refusal(node: ast.Attribute, parents: dict[ast.AST, ast.AST]) -> str | None:
    """Why the manager access ``node`` (``Model.objects``) is not a gated query, if it is not."""
    entry = parents.get(node)
    if not (isinstance(entry, ast.Attribute) and entry.value is node):
        return "the manager is used directly"
    if entry.attr not in GATED_ENTRY_POINTS:
        return f".{entry.attr}() is not an entry point of the gate"
    call = parents.get(entry)
    if not (isinstance(call, ast.Call) and call.func is entry):
        return f".{entry.attr} is not called"
    if entry.attr == "unscoped":
        reason = call.args[0] if call.args else None
        if not (
            isinstance(reason, ast.Constant) and isinstance(reason.value, str) and reason.value
        ):
            return "unscoped() needs a literal reason"
    return None


def ungated_queries(
    path: Path,
    names: set[str],
    root: Path = PACKAGE.parent,
    shared: Mapping[str, set[str]] | None = None,
) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = _parents(tree)
    module = ".".join(path.relative_to(root).with_suffix("").parts)
    imported = _imported_from(tree, module)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in names
            and not _is_shared(node.value.id, imported.get(node.value.id, module), shared or {})
        ):
            why = _refusal(node, parents)
            if why:
                found.append(
                    (node.lineno, f"{path.relative_to(root)}:{node.lineno}: {node.value.id}: {why}")
                )
    return [line for _, line in sorted(found)]


def _is_shared(name: str, source: str, shared: Mapping[str, set[str]]) -> bool:
    return any(source == app or source.startswith(app + ".") for app in shared.get(name, ()))


def runtime_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if not NOT_RUNTIME & set(p.relative_to(PACKAGE).parts[:-1])
    )


def test_every_model_is_classified() -> None:
    unclassified = [m._meta.label for m in apps.get_models() if tenancy_of(m) is None]
    assert unclassified == [], "declare `tenancy` on these models (or THIRD_PARTY)"


def test_tenant_models_are_known() -> None:
    names = tenant_model_names()
    assert {"Organisation", "Membership", "Grant", "ApiToken", "AuditEvent", "Submission"} <= names
    assert "Vulnerability" not in names


def test_every_tenant_model_has_the_gated_manager() -> None:
    from mamoru.core.tenancy import TenantManager

    wrong = [
        m._meta.label
        for m in apps.get_models()
        if (t := tenancy_of(m))
        and t.is_tenant
        and not isinstance(m._default_manager, TenantManager)
    ]
    assert wrong == []


@pytest.mark.parametrize("path", runtime_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_tenant_query_outside_the_gate(path: Path) -> None:
    assert ungated_queries(path, tenant_model_names(), shared=shared_homes()) == []


def test_the_lint_catches_each_way_around_the_gate(tmp_path: Path) -> None:
    bad = tmp_path / "services.py"
    bad.write_text(
        "def a(): return Membership.objects.all()\n"
        "def b(): return Membership.objects.filter(pk=1)\n"
        "def c(): return Membership.objects.unscoped(why)\n"
        "def d(m=Membership.objects): return m\n"
        "def e(o): return Membership.objects.within(o)\n"
        "def f(): return Membership.objects.unscoped('loader')\n"
    )
    found = ungated_queries(bad, {"Membership"}, root=tmp_path)
    assert [line.split(":")[1] for line in found] == ["1", "2", "3", "4"]


def test_a_name_shared_by_a_tenant_and_a_shared_model_is_told_apart_by_its_import(
    tmp_path: Path,
) -> None:
    assert "mamoru.progress" in shared_homes()["Campaign"]  # assessments' and asm's are tenant
    for source, flagged in (("mamoru.progress.models", []), ("mamoru.assessments.models", ["2"])):
        code = tmp_path / "demo.py"
        code.write_text(f"from {source} import Campaign\ndef a(): return Campaign.objects.all()\n")
        found = ungated_queries(code, {"Campaign"}, root=tmp_path, shared=shared_homes())
        assert [line.split(":")[1] for line in found] == flagged
