"""The app graph is part of the design (DESIGN.md "Layout"): policies ← applications ← subsidies ←
housing, with portal (and the leaders' dashboard) on top. An import that runs the other way fails here.

`hukou` is the project package (settings, roles, wiring); any app may use it, and it may wire any app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("policies", "applications", "subsidies", "housing", "portal", "dashboard")
MAY_IMPORT = {
    "policies": set(),
    "applications": {"policies"},
    "subsidies": {"policies", "applications"},
    "housing": {"policies", "applications", "subsidies"},
    "portal": {"policies", "applications", "subsidies", "housing"},
    "dashboard": {"policies", "applications", "subsidies", "housing"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(APPS)


def modules_of(app: str) -> list[Path]:
    folder = ROOT / app
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts) if folder.is_dir() else []


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in modules_of(app)
        if (found := imported_apps(path) - MAY_IMPORT[app] - {app})
    }
    assert wrong == {}, f"{app} may import only {sorted(MAY_IMPORT[app])}"


def test_the_graph_checks_real_modules():
    assert modules_of("policies") and modules_of("applications") and modules_of("portal")
    assert "policies" in imported_apps(ROOT / "applications" / "selectors.py")
