"""The rules of docs/architecture.md that a machine can check: apps depend one way
(support → community → accounts), and views write nothing themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _modules(app: str) -> list[Path]:
    return sorted(path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    ("app", "above"), [("accounts", ("community", "support")), ("community", ("support",))]
)
def test_an_app_never_imports_the_apps_above_it(app, above):
    offenders = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(app)
        for name in _imported(path)
        if name.split(".")[0] in above
    }
    assert not offenders, sorted(offenders)
