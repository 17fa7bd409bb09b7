"""Imports run one way (architecture.md): shells (ui, gapura, the app's scripts) -> services -> store -> scoring, and
the core imports nothing of ours; the store and the services never import Streamlit; a page never imports the
store. Read from the source with ast, so a new module is checked the day it is written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS = {"scoring": 0, "reports": 1, "store": 1, "services": 2, "ui": 3, "gapura": 3}
OURS = set(LAYERS) | {"tools", "tests", "app", "gapura_app"}


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level names a module imports, at any depth of the file (imports inside functions count too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_imports_run_one_way(package):
    wrong = []
    for path in modules(package):
        for name in imported(path):
            top = name.split(".")[0]
            if package == "gapura" and top == "tools":
                continue  # `python -m gapura bench` runs the benchmarks, which are tools; nothing else may
            if top in OURS and (top not in LAYERS or LAYERS[top] > LAYERS[package]):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
            if top == "streamlit" and LAYERS[package] < LAYERS["ui"]:
                wrong.append(f"{path.relative_to(ROOT)} imports Streamlit")
    assert not wrong, "\n".join(wrong)


def test_no_page_reads_the_store_and_the_shells_do_not_import_each_other():
    wrong = []
    for path in modules("ui"):
        wrong += [
            f"{path.relative_to(ROOT)} imports {n}" for n in imported(path) if n.split(".")[0] in ("store", "gapura")
        ]
    for path in modules("reports"):  # reports are pure: the CLI builds one from files, with no database
        wrong += [f"{path.relative_to(ROOT)} imports {n}" for n in imported(path) if n.split(".")[0] == "store"]
    for path in modules("store"):
        wrong += [f"{path.relative_to(ROOT)} imports {n}" for n in imported(path) if n.split(".")[0] == "reports"]
    for path in modules("gapura"):
        wrong += [f"{path.relative_to(ROOT)} imports {n}" for n in imported(path) if n.split(".")[0] in ("store", "ui")]
    assert not wrong, "\n".join(wrong)


def test_the_app_entry_points_import_only_shells_and_services():
    for name in ("app.py", "gapura_app.py"):
        found = {n.split(".")[0] for n in imported(ROOT / name)} & OURS
        assert found <= {"ui", "services"}, (name, found)
