"""One policy by construction: every public method of every service the application hands to the pages and the
command line is guarded (checked against the policy table) or marked open with its reason; every guard names a
declared resource that some grant (or only the command line) covers; and no shell reaches past the services."""

from __future__ import annotations

import ast
import inspect

from services import policy
from services.app import Gapura
from services.settings import Settings
from tests.conftest import MINI, ROOT


def services(app: Gapura) -> dict[str, object]:
    """What the pages and the command line are given: the application's public attributes that are services."""
    return {name: value for name, value in vars(app).items()
            if not name.startswith("_") and type(value).__module__.startswith("services.")}  # fmt: skip


def test_every_public_service_method_is_guarded_or_marked_open(tmp_path):
    app = Gapura(Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", standards_dir=MINI.parent,
                          key_file=tmp_path / "key"))  # fmt: skip
    try:
        neither = []
        for name, service in services(app).items():
            for method, _ in inspect.getmembers(type(service), inspect.isfunction):
                qualname = f"{type(service).__name__}.{method}"
                if not method.startswith("_") and qualname not in policy.GUARDED and qualname not in policy.OPEN:
                    neither.append(f"app.{name}.{method}")
        public = [m for m, _ in inspect.getmembers(Gapura, inspect.isfunction) if not m.startswith("_")]
        assert not neither, f"neither guarded nor marked open: {neither}"
        assert set(public) <= {"library", "standard", "offered_for_demo", "close"}, public  # public data only
        assert "panels" not in vars(app) and "gate" not in vars(app)  # names and the release memory stay inside
    finally:
        app.close()


def test_every_guard_names_a_declared_resource_that_a_grant_covers():
    granted = {(resource, action) for _, resource, action in policy.POLICY}
    for qualname, (resource, action) in policy.GUARDED.items():
        assert resource in policy.RESOURCES, qualname
        command_line_only = resource in ("pseudonym_key", "database_copy")
        assert (resource, action) in granted or command_line_only, (qualname, resource, action)
    assert all(policy.RESOURCES.values())  # each declared with what it covers


def test_a_guard_refuses_an_actor_without_any_such_grant_before_the_method_runs(tmp_path):
    app = Gapura(Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", standards_dir=MINI.parent,
                          key_file=tmp_path / "key"))  # fmt: skip
    try:
        refused = policy.Denied
        try:
            app.accounts.invite(policy.ANONYMOUS, "orang@contoh.test", role="researcher")
        except refused as denied:
            assert (denied.resource, denied.action) == ("members", "write")
        else:
            raise AssertionError("an anonymous invitation got past the guard")
    finally:
        app.close()


def test_no_page_or_command_reaches_the_store_through_the_application():
    reaches = []
    for path in [*(ROOT / "ui").rglob("*.py"), *(ROOT / "gapura").rglob("*.py"), ROOT / "gapura_app.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("store", "_panels", "_gate", "_pseudonym_secret")
                and not (isinstance(node.value, ast.Name) and node.value.id == "args")
            ):  # bench --store
                reaches.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not reaches, reaches
