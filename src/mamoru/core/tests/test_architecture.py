"""The shape of the house, checked on every build (docs/APP_TEMPLATE.md explains it).

* Apps stand in layers and import only downward (``LAYERS``): no cycle between apps can
  form, and ``core`` imports no domain app.
* Every domain app has the same rooms; a room an app does not need yet is declared absent
  in its ``AppConfig.absent_rooms`` with the reason.
* No app imports another app's interfaces (``api/``, ``ui/``): they talk through services
  and selectors.
* Test modules never import other test modules (shared test support lives in
  ``mamoru.testing``, ``<app>/testing.py``, ``<app>/tests/factories.py`` and support
  modules such as the scanner's lab).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2]

# Lowest first. An app may import the apps before it, never those after it.
LAYERS: tuple[str, ...] = (
    "core",  # the kernel: errors, calendar, tasks, scheduler, progress, registries, pages
    "api",  # REST plumbing: exception handler, pagination, schema, documentation pages
    "audit",  # the append-only log
    "accounts",  # people: sign-in, second factors, password reset, profiles
    "orgs",  # organisations, roles, memberships, API tokens, the principal and the access gate
    "vulns",  # vulnerability intelligence
    "asm",  # attack-surface management
    "incidents",  # incident reporting
    "assessments",  # implementation surveys and maturity assessments
    "progress",  # progress campaigns, notices, questions and the FAQ
    "advisories",  # advisories, sharing back, STIX/TAXII/MISP exchange
    "web",  # the shell: layout, navigation and the home page, composed from registries
)
# Apps whose job is a domain: they have every room.
DOMAIN_APPS: tuple[str, ...] = (
    "audit",
    "orgs",
    "accounts",
    "vulns",
    "asm",
    "incidents",
    "assessments",
    "progress",
    "advisories",
)
ROOMS: tuple[str, ...] = ("models", "services", "selectors", "tasks", "api", "ui", "tests")
INTERFACE_ROOMS = frozenset({"api", "ui"})


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").is_file())


def _runtime_files(app: str) -> Iterator[Path]:
    for path in (PACKAGE / app).rglob("*.py"):
        parts = set(path.relative_to(PACKAGE).parts)
        if not parts & {"tests", "migrations", "app_template"}:
            yield path


def _imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports, with its line (``if TYPE_CHECKING`` blocks too: a
    type-only import still ties the two apps together)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)


def app_imports(app: str) -> dict[str, list[str]]:
    """For each other app ``app`` imports: where (``file:line module``)."""
    found: dict[str, list[str]] = {}
    known = set(_apps())
    for path in _runtime_files(app):
        for line, module in _imported_modules(path):
            parts = module.split(".")
            if len(parts) > 1 and parts[0] == "mamoru" and parts[1] in known - {app}:
                where = f"{path.relative_to(PACKAGE)}:{line} {module}"
                found.setdefault(parts[1], []).append(where)
    return found


def upward_imports(layers: tuple[str, ...] = LAYERS) -> list[str]:
    rank = {app: i for i, app in enumerate(layers)}
    wrong = []
    for app in _apps():
        for other, places in sorted(app_imports(app).items()):
            if rank[other] > rank[app]:
                wrong += [f"{app} imports {other} (a higher layer): {p}" for p in places]
    return wrong


def cycles() -> list[list[str]]:
    """Strongly connected groups of apps (Tarjan): any group of two or more is a cycle."""
    graph = {app: set(app_imports(app)) for app in _apps()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in graph:
        if app not in index:
            visit(app)
    return groups


def test_every_app_has_a_layer() -> None:
    assert set(_apps()) == set(LAYERS)


def test_no_import_cycle_between_apps() -> None:
    assert cycles() == []


def test_apps_import_only_downward() -> None:
    assert upward_imports() == []


def test_the_layer_check_fails_on_an_upward_import() -> None:
    # orgs really imports audit; with the two layers swapped that import points upward.
    swapped = ("core", "api", "orgs", "audit", "accounts", *LAYERS[5:])
    assert any(line.startswith("orgs imports audit") for line in upward_imports(swapped))


def _has_room(app: str, room: str) -> bool:
    base = PACKAGE / app
    return (base / f"{room}.py").is_file() or (base / room / "__init__.py").is_file()


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_app_has_every_room(app: str) -> None:
    absent: dict[str, str] = getattr(apps.get_app_config(app), "absent_rooms", {})
    missing = [room for room in ROOMS if not _has_room(app, room) and room not in absent]
    assert missing == [], f"{app} lacks {missing}; add them or declare why in absent_rooms"
    present_but_declared_absent = [room for room in absent if _has_room(app, room)]
    assert present_but_declared_absent == []
    assert all(reason.strip() for reason in absent.values())


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_app_tests_list_denials_and_factories(app: str) -> None:
    for support in ("denials.py", "factories.py"):
        assert (PACKAGE / app / "tests" / support).is_file(), f"{app}/tests/{support}"


def interface_imports() -> list[str]:
    """Imports of another app's ``api``/``ui`` package (the project's urls.py may)."""
    wrong = []
    for app in _apps():
        for other, places in app_imports(app).items():
            for place in places:
                module = place.split(" ", 1)[1].split(".")
                if len(module) > 2 and module[2] in INTERFACE_ROOMS:
                    wrong.append(f"{app} uses {other}'s interface: {place}")
    return wrong


def test_no_app_imports_another_apps_interfaces() -> None:
    assert interface_imports() == []


def _is_test_module(name: str) -> bool:
    return name.startswith("test_") or name == "conftest"


def imports_of_test_modules() -> list[str]:
    """Imports of a test module (``test_*.py``) or a ``conftest``: tests share through
    fixtures, factories (``tests/factories.py``), denial lists and support modules only."""
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        for line, module in _imported_modules(path):
            parts = module.split(".")
            if parts[0] == "mamoru" and "tests" in parts and any(map(_is_test_module, parts)):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} {module}")
    return wrong


def test_test_modules_do_not_import_test_modules() -> None:
    assert imports_of_test_modules() == []
