"""The api app sits above modules and partnerships: nothing below imports it, and its views
read personal data only through the scoping queries."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERSONAL_MODELS = {"Participant", "Enrolment", "Attendance", "PersonalDataAccess"}


def python_files(*folders: str):
    for folder in folders:
        yield from (ROOT / folder).rglob("*.py")


def test_no_app_below_imports_the_api_app():
    offenders = []
    for path in python_files("modules", "partnerships"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "api"
            ]
    assert offenders == []


def test_api_views_never_query_a_personal_data_model_directly():
    """`Participant.objects…` in a view would bypass `participants_visible_to`."""
    offenders = []
    for path in python_files("api/views"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("objects", "_default_manager")
                and isinstance(node.value, ast.Name)
                and node.value.id in PERSONAL_MODELS
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}")
    assert offenders == []
