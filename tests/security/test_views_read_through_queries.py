"""Scoping is hard to forget (issue 8, STYLE.md): views read personal data only through the
`queries` packages (`*_visible_to` and what builds on them). This test fails when a view
module queries a personal-data model directly — `Participant.objects…`, `get_object_or_404(
Enrolment, …)` — in any app, also ones added later (an API's views included)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERSONAL_MODELS = {"Participant", "Enrolment", "Attendance", "PersonalDataAccess"}
MANAGERS = {"objects", "_default_manager", "_base_manager", "history"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404", "aget_object_or_404", "aget_list_or_404"}
SKIP = {"tests", "bench", "node_modules", "staticfiles", "var", "docs"}


def view_modules() -> list[Path]:
    """Every `views.py`, `views/*.py` and `viewsets.py` of the project's own packages."""
    found = []
    for package in ROOT.iterdir():
        if not (package / "__init__.py").exists() or package.name in SKIP:
            continue
        for path in package.rglob("*.py"):
            parts = path.relative_to(package).parts
            if path.name in ("views.py", "viewsets.py") or "views" in parts[:-1]:
                found.append(path)
    return sorted(found)


def _model_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # models.Participant
        return node.attr
    return None


def direct_queries(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            name = _model_name(node.value)
            if name in PERSONAL_MODELS:
                found.append(f"line {node.lineno}: {name}.{node.attr}")
        if isinstance(node, ast.Call) and _model_name(node.func) in SHORTCUTS and node.args:
            name = _model_name(node.args[0])
            if name in PERSONAL_MODELS:
                found.append(f"line {node.lineno}: {_model_name(node.func)}({name}, …)")
    return found


def test_the_check_finds_the_view_modules_of_every_app():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {
        "modules/views/participants.py",
        "modules/views/planning.py",
        "partnerships/views.py",
        "integratie/views.py",
        "twofactor/views.py",
    } <= names


def test_the_check_catches_a_direct_query():
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "from ..models import Participant, Enrolment\n"
        "from .. import models\n"
        "def view(request, pk):\n"
        "    Participant.objects.filter(pk=pk)\n"
        "    get_object_or_404(Enrolment, pk=pk)\n"
        "    models.Attendance.objects.all()\n"
        "    Enrolment.Status.ENROLLED  # a constant is fine\n"
    )
    assert len(direct_queries(source)) == 3


def test_no_view_module_queries_a_personal_data_model_directly():
    offenders = {
        str(path.relative_to(ROOT)): direct_queries(path.read_text()) for path in view_modules()
    }
    assert {path: found for path, found in offenders.items() if found} == {}
