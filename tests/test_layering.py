"""Views are thin (STYLE.md): they read through the `queries` packages and write through the
services; a view module that builds its own query fails here (issue 9, finding 5)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VIEW_MODULES = sorted(
    [*ROOT.glob("modules/views/*.py"), ROOT / "partnerships" / "views.py"],
    key=str,
)
QUERY_BUILDING = re.compile(
    r"\b(Exists|OuterRef|Subquery|Q|Count|Prefetch)\(|\.objects\b|\.filter\("
)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_build_no_queries(path):
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if QUERY_BUILDING.search(line)
    ]
    assert found == []
