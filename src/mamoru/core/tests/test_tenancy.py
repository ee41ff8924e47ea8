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
from pathlib import Path

import pytest
from django.apps import apps

from mamoru.core.tenancy import GATED_ENTRY_POINTS, tenancy_of

PACKAGE = Path(__file__).resolve().parents[2]
MANAGERS = {"objects", "_default_manager", "_base_manager"}
NOT_RUNTIME = {"tests", "migrations", "app_template", "testing"}


def tenant_model_names() -> set[str]:
    return {name for _, name in tenant_models()}


def tenant_models() -> set[tuple[str, str]]:
    """Every tenant model as (its app's package, its class name): two apps may both have a
    ``Campaign``, one tenant data and one shared."""
    return {
        (_app_package(model.__module__), model.__name__)
        for model in apps.get_models()
        if (tenancy := tenancy_of(model)) is not None and tenancy.is_tenant
    }


def _app_package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _module_of(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def tenant_names_bound_in(path: Path, tree: ast.Module, root: Path = PACKAGE.parent) -> set[str]:
    """The names by which ``path`` refers to tenant models: what it imports from an app that
    has them (relative imports resolved), and the tenant models it defines itself."""
    models = tenant_models()
    module = _module_of(path, root)
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    own = _app_package(module)
    bound = {
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef) and (own, node.name) in models
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        app = _app_package(source)
        bound |= {a.asname or a.name for a in node.names if (app, a.name) in models}
    return bound


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


def ungated_queries(path: Path, names: set[str], root: Path = PACKAGE.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            why = _refusal(node, parents)
            if why:
                found.append(
                    (node.lineno, f"{path.relative_to(root)}:{node.lineno}: {node.value.id}: {why}")
                )
    return [line for _, line in sorted(found)]


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
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert ungated_queries(path, tenant_names_bound_in(path, tree)) == []


def test_a_shared_model_named_like_a_tenant_model_is_told_apart(tmp_path: Path) -> None:
    app = tmp_path / "mamoru" / "progress" / "selectors"
    app.mkdir(parents=True)
    shared, tenant = app / "shared.py", app / "tenant.py"
    shared.write_text("from ..models import Campaign\nCampaign.objects.filter(pk=1)\n")
    tenant.write_text("from mamoru.assessments.models import Campaign\nCampaign.objects.all()\n")
    for path in (shared, tenant):
        tree = ast.parse(path.read_text())
        path_names = tenant_names_bound_in(path, tree, root=tmp_path)
        assert ("Campaign" in path_names) is (path is tenant)
        assert bool(ungated_queries(path, path_names, root=tmp_path)) is (path is tenant)


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
