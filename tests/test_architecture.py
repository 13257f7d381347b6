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


def _view_modules(package: Path) -> dict[str, Path]:
    """Modules of a views package that define views (functions named ``*_view``)."""
    found = {}
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text())
        if any(isinstance(node, ast.FunctionDef) and node.name.endswith("_view") for node in tree.body):
            found[".".join(path.relative_to(ROOT).with_suffix("").parts)] = path
    return found


@pytest.mark.parametrize("package", ["community/views", "support/views"])
def test_views_never_import_other_views(package):
    views = _view_modules(ROOT / package)
    assert views, f"{package} has no view modules"
    offenders = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in views.values()
        for name in _imported(path)
        if name in views
    }
    assert not offenders, sorted(offenders)


WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}


@pytest.mark.parametrize("package", ["community/views", "support/views", "community/api", "support/api"])
def test_views_write_nothing_themselves(package):
    """Views parse, check, call one action and respond: every write is an action's."""
    offenders = []
    for path in sorted((ROOT / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                receiver = ast.unparse(node.func.value)
                if receiver == "request.session":  # the session row is the framework's
                    continue
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}()")
    assert not offenders, offenders


def test_templates_ask_the_permission_layer_never_the_user_flags():
    """Roles are groups and ranks, answered in permissions; ``is_staff`` is Django admin's
    own flag and says nothing about who works the support queue."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if any(flag in path.read_text() for flag in ("is_staff", "is_superuser", ".groups"))
    ]
    assert not offenders, offenders


def test_every_soft_deletable_model_reads_through_the_one_visible_to():
    from django.apps import apps

    from community.models.base import SoftDeletable
    from community.querysets import SoftDeletableQuerySet

    models = [m for m in apps.get_models() if issubclass(m, SoftDeletable)]
    assert {m.__name__ for m in models} >= {"Question", "Answer", "Comment", "Article"}
    for model in models:
        assert isinstance(model._default_manager.all(), SoftDeletableQuerySet), model


def test_every_work_queue_reads_through_the_one_queue_queryset():
    from django.apps import apps

    from community.models.queues import QueueItem
    from community.querysets import QueueQuerySet

    queues = [m for m in apps.get_models() if issubclass(m, QueueItem)]
    assert {m.__name__ for m in queues} == {"ReviewItem", "Escalation", "FeedbackItem"}
    for model in queues:
        assert isinstance(model._default_manager.all(), QueueQuerySet), model
