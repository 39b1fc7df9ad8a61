"""Imports run one way (the developers' guide): dossiers → stipends, rectification → assessment → training →
cadres → core. A lower app reacts to a higher one only through a hook the higher one registers, so no module
of an app imports an app above it — checked on the source, every module, module level and function level.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app and the apps it must never import.
ABOVE = {
    "core": {"cadres", "training", "assessment", "rectification", "stipends", "dossiers"},
    "cadres": {"training", "assessment", "rectification", "stipends", "dossiers"},
    "training": {"assessment", "rectification", "stipends", "dossiers"},
    "assessment": {"rectification", "stipends", "dossiers"},
    "rectification": {"stipends", "dossiers"},
    "stipends": {"rectification", "dossiers"},
    "dossiers": set(),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_no_app_above_it(app):
    wrong = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top in ABOVE[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)
