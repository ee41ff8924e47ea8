"""Every action the code records is declared with a label (``AppConfig.audit_actions``),
and named ``<app>.<entity>.<verb>``: one name for one thing, whichever interface did it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from mamoru.audit.actions import declared

PACKAGE = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
# Functions that record an action, and where their action argument is.
RECORDERS = {"audit_record": None, "audit": 1, "audited_read": 0, "_audit": 0}


def recorded_actions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in RECORDERS:
            continue
        position = RECORDERS[name]
        candidates = [k.value for k in node.keywords if k.arg == "action"]
        if position is not None and len(node.args) > position:
            candidates.append(node.args[position])
        for value in candidates:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.append((node.lineno, value.value))
            elif isinstance(value, ast.IfExp):
                found += [
                    (node.lineno, branch.value)
                    for branch in (value.body, value.orelse)
                    if isinstance(branch, ast.Constant) and isinstance(branch.value, str)
                ]
    return found


def runtime_files() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if not {"tests", "migrations", "testing", "app_template"} & set(p.parts)
    ]


def test_every_recorded_action_is_declared() -> None:
    known = declared()
    missing = [
        f"{path.relative_to(PACKAGE)}:{line} {action}"
        for path in runtime_files()
        for line, action in recorded_actions(path)
        if action not in known
    ]
    assert missing == []


def test_declared_actions_are_named_by_app_entity_verb() -> None:
    assert [a for a in declared() if not NAME.match(a)] == []


def test_the_scan_finds_the_actions_of_a_service(tmp_path: Path) -> None:
    source = tmp_path / "s.py"
    source.write_text(
        "audit(p, 'orgs.x.add' if c else 'orgs.x.change')\n"
        "audit_record(action='orgs.y.read')\n@audited_read('orgs.z.read')\ndef f(): ...\n"
    )
    actions = sorted(a for _, a in recorded_actions(source))
    assert actions == ["orgs.x.add", "orgs.x.change", "orgs.y.read", "orgs.z.read"]
